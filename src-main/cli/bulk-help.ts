/** `oss-img bulk --help`, kept apart from the command so `oss-img --help` loads no bulk code. */
export const BULK_HELP = `Bulk options (oss-img bulk):
  oss-img bulk (--profile NAME | --endpoint URL) (--bucket B (--prefix P | --keys FILE) | --inventory MANIFEST)
               | --from-dir DIR
               (--style NAME | --process STR)... (--target-bucket B2 | --to-dir DIR) --target TEMPLATE
               [--concurrency N] [--qps N] [--journal FILE] [--overwrite] [--dry-run] [--json]
  Source:
  --bucket B             Source bucket, with --prefix P (every key under P; "" = the whole bucket)
                         or --keys FILE (one key per line; blank lines and lines starting with # skipped).
  --inventory MANIFEST   An OSS bucket inventory report: the manifest.json of a download (ossutil cp -r,
                         its data/*.csv.gz beside it as OSS lays them out) or oss://bucket/key of one;
                         its rows stream (sizes and MD5s checked before anything runs). --bucket defaults
                         to its sourceBucket; --prefix, --suffix, --match filter its keys.
  --from-dir DIR         Local folder (recursively; hidden files skipped); keys are relative paths.
  --suffix S             Keep keys ending with S, case-insensitive (repeatable: --suffix .jpg --suffix .png).
  --match REGEX          Keep keys matching the regular expression.
  Derivatives (repeatable, in order; at least one):
  --style NAME           A named style: the style library in the data folder, else the bucket's style.
  --process STR          "image/..." (or "label=image/..." to name it for {style}; unnamed: p-<hash>).
  Target:
  --target-bucket B2     A bucket of the same account and region: processed server-side (saveas).
  --to-dir DIR           A local folder: processed on this machine with the engine.
  --target TEMPLATE      Target key: {key} {dir} {name} {ext} {style} {format},
                         e.g. "thumbs/{dir}/{name}-{style}.{format}".
  --target-region R      The target bucket's region, when known: a different region is refused.
  Credentials (bucket source or target): --profile NAME (a stored profile) or --endpoint URL with
  OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET (and OSS_SESSION_TOKEN); --region R for V4 signing
  on endpoints that do not name their region. --data-dir DIR: profiles and styles (default
  $OSS_IMG_STUDIO_HOME, else the app's data folder).
  Run:
  --overwrite            Replace existing targets (default: skip existing targets).
  --concurrency N        Local: images processed at once (default: CPU cores; reads and writes overlap
                         with twice as many in flight). Server-side: requests in flight (default 16).
                         OSS's 503 / SlowDown answers lower it (halved at most once a second, grown
                         back by one per window of successes); retries wait with jittered back-off.
  --qps N                At most N object requests per second to OSS (HEAD, GET, PUT, processing),
                         e.g. 200 or 0.5; default: no cap. Progress shows the rate, ETA and throttling.
  --journal FILE         Durable job journal; re-running with the same FILE resumes (finished items
                         are not redone). Default: a new file in the temp folder (its path is printed).
  --retry-failed         With --journal: run the items that failed before again.
  --report FILE          Write the per-item report as CSV (status, attempts, OSS code, EC, message).
  --dry-run              Print the source → target manifest (collisions, invalid targets, cross-region
                         targets flagged; counts, estimated bytes); write nothing.
  --json                 One JSON line per item on stdout.
  The last stdout line is {"done":N,"skipped":N,"failed":N}. Exit 0 only when nothing failed.
`
