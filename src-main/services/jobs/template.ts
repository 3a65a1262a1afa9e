/**
 * Target key templates: `{key}` (the full source key), `{dir}` (its folder, no trailing slash),
 * `{name}` (base name without extension), `{ext}` (source extension without the dot), `{style}`
 * and `{format}` (output format). Anything else in braces is an error when the job is created.
 *
 * `{dir}` of a key at the top level is empty; one `/` right after an empty `{dir}` is dropped, so
 * `{dir}/thumbs/{name}.jpg` renders `thumbs/a.jpg` for `a.png` (not `/thumbs/a.jpg`).
 */
import { posix } from 'node:path'
import { JobError } from './errors'

export const PLACEHOLDERS = ['key', 'dir', 'name', 'ext', 'style', 'format'] as const
export type Placeholder = (typeof PLACEHOLDERS)[number]

type Part = { readonly text: string } | { readonly placeholder: Placeholder }

export interface TemplateValues {
  readonly key: string
  readonly style: string
  readonly format: string
}

/** Parsed once per job. */
export interface KeyTemplate {
  readonly source: string
  readonly parts: readonly Part[]
  render(values: TemplateValues): string
}

/** Splits a key into its template values. `a/b/c.d.jpg` → dir `a/b`, name `c.d`, ext `jpg`. */
export function keyParts(key: string): { dir: string; name: string; ext: string } {
  const slash = key.lastIndexOf('/')
  const dir = slash < 0 ? '' : key.slice(0, slash)
  const base = slash < 0 ? key : key.slice(slash + 1)
  const dot = base.lastIndexOf('.')
  // A leading dot is a hidden name, not an extension (`.profile`).
  if (dot <= 0) return { dir, name: base, ext: '' }
  return { dir, name: base.slice(0, dot), ext: base.slice(dot + 1) }
}

export function parseTemplate(template: string): KeyTemplate {
  if (typeof template !== 'string' || template.trim() === '') throw new JobError('InvalidJob', 'template: expected a key template such as "thumbs/{dir}/{name}.{format}" but received an empty string')
  const parts: Part[] = []
  const re = /\{([^{}]*)\}/g
  let last = 0
  let used = false
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m.index > last) parts.push({ text: template.slice(last, m.index) })
    const name = m[1] as string
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
      throw new JobError('InvalidJob', `template: expected placeholders among ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')} but received {${name}}`)
    }
    parts.push({ placeholder: name as Placeholder })
    used = true
    last = m.index + m[0].length
  }
  if (last < template.length) parts.push({ text: template.slice(last) })
  const stray = parts.find((p) => 'text' in p && /[{}]/.test(p.text))
  if (stray) throw new JobError('InvalidJob', `template: expected balanced braces but received ${JSON.stringify(template)}`)
  if (!used) throw new JobError('InvalidJob', `template: expected at least one placeholder (every source would map to the same target) but received ${JSON.stringify(template)}`)
  return {
    source: template,
    parts,
    render(values) {
      const { dir, name, ext } = keyParts(values.key)
      let out = ''
      let dropSlash = false
      for (const part of parts) {
        let text: string
        if ('text' in part) {
          text = dropSlash && part.text.startsWith('/') ? part.text.slice(1) : part.text
        } else {
          const value = part.placeholder === 'key' ? values.key : part.placeholder === 'dir' ? dir : part.placeholder === 'name' ? name : part.placeholder === 'ext' ? ext : part.placeholder === 'style' ? values.style : values.format
          text = value
        }
        dropSlash = 'placeholder' in part && part.placeholder === 'dir' && dir === ''
        out += text
      }
      return out
    }
  }
}

/**
 * A folder target's path must stay inside the folder: relative, `/`-separated, no `.`/`..`
 * segments, no backslash or NUL, no empty segment. Returns the reason, or undefined when fine.
 */
export function folderPathProblem(path: string): string | undefined {
  if (path === '') return 'an empty path'
  if (path.includes('\0')) return 'a path without NUL characters'
  if (path.includes('\\')) return 'a path without backslashes'
  if (path.startsWith('/') || posix.isAbsolute(path)) return 'a relative path'
  const segments = path.split('/')
  if (segments.some((s) => s === '')) return 'a path without empty segments (no "//" and no trailing "/")'
  if (segments.some((s) => s === '.' || s === '..')) return 'a path without "." or ".." segments'
  if (segments.some((s) => Buffer.byteLength(s, 'utf8') > 255)) return 'path segments of at most 255 bytes'
  return undefined
}
