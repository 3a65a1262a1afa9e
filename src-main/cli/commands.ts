/**
 * The `oss-img` commands. Each is loaded on first use (`load`), so a command pays only for what it
 * imports: `--help` loads no engine, `process` no OSS client, sandbox or job runner. A command's
 * `run` gets the arguments after its name and resolves to the exit code; what it throws is
 * reported by the entry (`fail`). `usage` and `summary` feed the overview of `oss-img --help`.
 */
export interface CliCommand {
  readonly name: string
  readonly usage: string
  readonly summary: string
  readonly load: () => Promise<{ run(argv: string[]): Promise<number> }>
}

export const COMMANDS: readonly CliCommand[] = [
  {
    name: 'process',
    usage: 'oss-img process <input> --process "<x-oss-process>" -o <output> [--bucket-dir DIR] [--json]',
    summary: `Apply an x-oss-process string (image/...) to a local image and write the result:
the image, or OSS's JSON body for image/info and image/average-hue.`,
    load: async () => ({ run: (await import('./process')).runProcess })
  },
  {
    name: 'info',
    usage: 'oss-img info <input>',
    summary: "Print OSS's image/info JSON for a local image.",
    load: async () => ({ run: (await import('./process')).runInfo })
  },
  {
    name: 'lint',
    usage: 'oss-img lint "<x-oss-process or style/NAME>" [--source FILE] [--json] [--data-dir DIR]',
    summary: `Check a style for steps that do nothing or do what was not meant (rules with reasons and
fixes); exit 1 when any finding is an error.`,
    load: () => import('./lint')
  },
  {
    name: 'sandbox',
    usage: 'oss-img sandbox [--port N] [--data DIR] [--bucket NAME]... [options]',
    summary: `Serve a local OSS sandbox (REST + IMG: processing, styles, saveas) for ali-oss
and other clients, until interrupted. Options below.`,
    load: () => import('./sandbox')
  },
  {
    name: 'bulk',
    usage: `oss-img bulk (--profile NAME | --endpoint URL) (--bucket B (--prefix P | --keys FILE) | --inventory MANIFEST) | --from-dir DIR
             (--style NAME | --process STR)... (--target-bucket B2 | --to-dir DIR) --target TEMPLATE
             [--concurrency N] [--journal FILE] [--overwrite] [--dry-run] [--json]`,
    summary: `Save derivatives in bulk (bucket prefix, key list, inventory report or folder; server-side or local),
resumable with --journal; options below.`,
    load: () => import('./bulk')
  },
  {
    name: 'links',
    usage: `oss-img links (--profile NAME | --endpoint URL) --bucket B (--prefix P | --keys FILE)
              (--style NAME | --process STR)... [--form query|delimiter] [--sign v1|v4 --expires SECONDS]
              [--domain URL] [--format list|csv|md|html|json] [--check]`,
    summary: `URLs for many objects x styles (public, delimiter form, signed; custom domain) as
list, CSV, Markdown, HTML or JSON; --check fetches each; options below.`,
    load: () => import('./links')
  },
  {
    name: 'budget',
    usage: 'oss-img budget --process "<image/...>" --max-kb N [--p95] [--format jpg,webp] FILE... [--json]',
    summary: `The highest quality Q_ per format that keeps the samples within a byte budget
(every sample, or the 95th percentile), with sizes and an SSIM score; options below.`,
    load: () => import('./budget')
  }
]
