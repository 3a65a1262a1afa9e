/** `oss-img links --help`, kept apart from the command so `oss-img --help` loads no OSS code. */
export const LINKS_HELP = `Link options (oss-img links):
  oss-img links (--profile NAME | --endpoint URL) --bucket B (--prefix P | --keys FILE)
                (--style NAME | --process STR)... [--form query|delimiter] [--sign v1|v4 --expires SECONDS]
                [--domain URL] [--format list|csv|md|html|json] [--check]
  One URL per object x style (rows: objects in listing or file order; columns: styles in the
  order given). Objects: every key under --prefix P ("" = the whole bucket; folder markers
  skipped), or --keys FILE (one key per line; blank lines and lines starting with # skipped).
  --style NAME           A style of the bucket (style/NAME); its content (bucket, else the style
                         library) gives the output width for HTML srcset.
  --process STR          "image/..." (or "label=image/..." to name its column).
  --form F               query (default): ?x-oss-process=style/NAME or image/...;
                         delimiter: <key><D><NAME>, styles only; --delimiter D (- _ / !, default !).
  --sign V               Signed URLs, v1 or v4, valid --expires SECONDS (1-604800, default 3600).
                         Without --sign the URLs are public (the bucket or object must allow it).
  --domain URL           A custom domain bound to the bucket (CNAME) instead of its endpoint.
  --format F             list (default: one URL a line), csv (key,style,form,url,expires), md, html
                         (<img> per cell, one <img srcset> per object over width-based styles), json
                         ([{key,style,form,url,expires?,check?:{status,contentType,bytes,code?}}]).
  --check                Ranged GET (Range: bytes=0-0) of every URL, --concurrency N at a time
                         (default 8): status, content type, bytes and OSS's error code; failures on
                         stderr; exit 1 when any link fails.
  Credentials as for bulk: --profile NAME or --endpoint URL with OSS_ACCESS_KEY_ID /
  OSS_ACCESS_KEY_SECRET (and OSS_SESSION_TOKEN); --region R; --data-dir DIR.
`
