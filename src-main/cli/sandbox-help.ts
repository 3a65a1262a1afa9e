/** `oss-img sandbox --help`, kept apart from the command so `oss-img --help` loads no sandbox code. */
export const SANDBOX_HELP = `Sandbox options (oss-img sandbox):
  --port N               Port on 127.0.0.1 (default 0: any free port; the JSON line says which).
  --data DIR             Data folder (default: a new temporary folder); one sandbox per folder.
  --bucket NAME          Bucket to create if missing (repeatable). Without --bucket, an empty data
                         folder gets "demo-bucket": the sample images and the styles thumb,
                         watermarked, webp-800 and avatar.
  --acl ACL              ACL of those buckets: private (default), public-read, public-read-write.
  --source-protection    Source-image protection on those buckets: anonymous requests may only
                         use styles (?x-oss-process=style/NAME); signed requests are not affected.
  --protect-rule PATTERN Limit protection to matching keys: PREFIX*SUFFIX, e.g. "*.jpg",
                         "photos/*", "photos/*.png" (repeatable, up to 10; implies
                         --source-protection). Without rules every object is protected.
  --protect-ignore-case  Protection rules match keys case-insensitively.
  --style-delimiter C    Serve styles as <key><C><style> (C one of - _ / !), e.g. photo.jpg!thumb.
  --access-key-id ID     Key pair clients sign with; generated when absent.
  --access-key-secret SECRET
  --fail-rate R          Fault injection: fraction (0-1) of requests answered 500/503.
  --latency-ms MS        Fault injection: milliseconds added to every request.
  When ready it prints one JSON line on stdout:
    {"endpoint":"http://localhost:PORT","buckets":["demo-bucket"],"accessKeyId":"LTAI…"}
  (plus "accessKeySecret" when generated). Use it with ali-oss as
    new OSS({ endpoint, sldEnable: true, bucket, accessKeyId, accessKeySecret }).
  Runs until SIGINT/SIGTERM (Ctrl-C).
`
