/** `oss-img lint`'s options, for the overview of `oss-img --help` (no imports: the entry stays light). */
export const LINT_HELP = `Options (lint):
  --source FILE          The image the style will run on: its size, format, EXIF orientation and JPEG
                         quality (read from the header) let the size- and format-dependent rules speak.
  --json                 Print an array of {"id","severity","message","step","fix"?,"doc"}: step is the
                         0-based index in the chain, fix the corrected process string (when safe), doc the
                         spec section that says why.
  --data-dir DIR         Where style/NAME is looked up (default: $OSS_IMG_STUDIO_HOME, else the app's data folder).
  Rules: quality-no-effect, interlace-no-effect, circle-on-jpeg, overridden-step, upscale-blocked,
  crop-outside (error), relative-quality, gif-keeps-source-format, ignored-size-param.
  Exit 1 when any finding is an error; 2 for an invalid process string (OSS's error) or a usage error.
`
