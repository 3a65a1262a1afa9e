/** `oss-img budget`'s options, for the overview of `oss-img --help` (no imports: the entry stays light). */
export const BUDGET_HELP = `Options (budget):
  --process STRING       The style's chain (image/...); its format and quality steps are replaced per format.
  --max-kb N             The budget in KB (1 KB = 1024 bytes); decimals allowed.
  --p95                  Only the 95th percentile (nearest rank) of the samples must fit, not every one.
  --format LIST          Candidate formats, comma-separated: jpg, webp, avif, heic (default jpg,webp).
  --bucket-dir DIR       Folder where image-watermark object keys resolve (default: the first file's folder).
  --json                 Print {"results":[{"format","Q","met","maxBytes","p95Bytes","medianBytes","score","timeMs"}]};
                         Q is null (met false) when not even Q_1 fits, with the sizes Q_1 reached.
  Q is the boundary: at Q the samples fit, at Q+1 they do not (or Q is 100). score: mean SSIM (ssim.js)
  against the chain unencoded. Exit 1 when some format cannot meet the budget.
`
