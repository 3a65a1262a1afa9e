/**
 * The link matrix (issue 13): N objects × M styles (or process strings) → one URL per cell, and its
 * exports — plain list, CSV, Markdown, HTML (`<img>` per cell plus a `srcset` per object for
 * width-based styles) and JSON. Pure: main builds and signs the URLs, the CLI and the studio
 * format them with the same code.
 */
import { parseSyntax } from '../img/grammar'

/** `query`: `?x-oss-process=…`; `delimiter`: `<key><delim><style>` (styles only). */
export const LINK_FORMS = ['query', 'delimiter'] as const
export type LinkForm = (typeof LINK_FORMS)[number]

/** Objects and columns per matrix in the studio (the CLI has no limit). */
export const LINK_KEYS_MAX = 2000
export const LINK_COLUMNS_MAX = 16

export const LINK_FORMATS = ['list', 'csv', 'md', 'html', 'json'] as const
export type LinkFormat = (typeof LINK_FORMATS)[number]

/** A column of the matrix: a named style of the bucket, or a process string. */
export interface LinkColumn {
  /** The header: the style name, or the process string (or its label). */
  readonly label: string
  /** `style/NAME` or `image/…`. */
  readonly process: string
  /** Output width in px, when the chain fixes it (srcset). */
  readonly width?: number | undefined
}

/** The result of a check (ranged GET) of one URL. `code` is OSS's error code when it failed. */
export interface LinkCheck {
  readonly status: number
  readonly contentType: string
  readonly bytes: number
  readonly code?: string | undefined
  /** OSS's error Message (studio only; not in the JSON export). */
  readonly message?: string | undefined
}

export interface LinkCell {
  readonly key: string
  /** The column's label. */
  readonly style: string
  readonly form: LinkForm
  readonly url: string
  /** ISO 8601, for signed URLs. */
  readonly expires?: string | undefined
  readonly check?: LinkCheck | undefined
}

export interface LinkMatrix {
  readonly keys: readonly string[]
  readonly columns: readonly LinkColumn[]
  /** Row-major: `cells[row * columns.length + column]`. */
  readonly cells: readonly LinkCell[]
}

/** A check failed: no answer, or not 2xx. */
export function isFailedCheck(check: LinkCheck | undefined): boolean {
  return check !== undefined && (check.status < 200 || check.status > 299)
}

/** The styled URL path piece of a key: every segment percent-encoded, `/` kept. */
export function encodeKeyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/')
}

const RESET_WIDTH = new Set(['crop', 'rotate', 'circle', 'indexcrop', 'info', 'average-hue'])

/**
 * The output width of a width-based chain, for `srcset` descriptors: the last `resize` with `w`
 * only (no `h`, `l`, `s` or `p`: the aspect ratio is the source's), not undone by a later geometry
 * step. Undefined otherwise (a fixed box such as `m_fill,w_200,h_200` is not a srcset candidate).
 * `style/NAME` needs the style's content: pass that.
 */
export function outputWidth(process: string): number | undefined {
  let tree
  try {
    tree = parseSyntax(process)
  } catch {
    return undefined
  }
  if (tree.kind !== 'image') return undefined
  let width: number | undefined
  for (const action of tree.actions) {
    if (action.name === 'resize') {
      const params = new Map(action.tokens.map((t) => [t.key, t.value]))
      const w = Number(params.get('w'))
      const widthOnly = params.has('w') && !['h', 'p', 'l', 's'].some((k) => params.has(k))
      width = widthOnly && Number.isInteger(w) && w > 0 ? w : undefined
    } else if (RESET_WIDTH.has(action.name)) width = undefined
  }
  return width
}

// ---- exports ------------------------------------------------------------------------------

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

function mdCell(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ')
}

function html(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function rows(matrix: LinkMatrix): LinkCell[][] {
  const width = matrix.columns.length
  return matrix.keys.map((_, row) => matrix.cells.slice(row * width, row * width + width))
}

/** One `<img srcset>` per object over its width-based columns (at least two), widest as `src`. */
function srcsetImage(key: string, cells: readonly LinkCell[], columns: readonly LinkColumn[]): string | undefined {
  const sized = cells.map((cell, i) => ({ cell, width: columns[i]?.width })).filter((c): c is { cell: LinkCell; width: number } => c.width !== undefined)
  const byWidth = [...new Map(sized.map((s) => [s.width, s])).values()].sort((a, b) => a.width - b.width)
  if (byWidth.length < 2) return undefined
  const widest = byWidth[byWidth.length - 1]!
  const srcset = byWidth.map((s) => `${html(s.cell.url)} ${s.width}w`).join(', ')
  return `<img srcset="${srcset}" sizes="(max-width: ${widest.width}px) 100vw, ${widest.width}px" src="${html(widest.cell.url)}" alt="${html(key)}" loading="lazy">`
}

function htmlDocument(matrix: LinkMatrix): string {
  const head = `<tr><th>key</th>${matrix.columns.map((c) => `<th>${html(c.label)}</th>`).join('')}</tr>`
  const body = rows(matrix).map((cells, row) => {
    const key = matrix.keys[row] as string
    const tds = cells.map((cell) => `<td><img src="${html(cell.url)}" alt="${html(`${key} ${cell.style}`)}" loading="lazy"></td>`).join('')
    return `<tr><th scope="row">${html(key)}</th>${tds}</tr>`
  })
  const responsive = rows(matrix)
    .map((cells, row) => srcsetImage(matrix.keys[row] as string, cells, matrix.columns))
    .filter((img): img is string => img !== undefined)
  const lines = ['<table>', `<thead>${head}</thead>`, '<tbody>', ...body, '</tbody>', '</table>']
  if (responsive.length > 0) lines.push('<!-- responsive: one image per object over its width-based styles -->', ...responsive)
  return `${lines.join('\n')}\n`
}

/** The JSON export: `{key, style, form, url, expires?, check?: {status, contentType, bytes, code?}}` per cell. */
export function linksJson(cells: readonly LinkCell[]): string {
  const plain = cells.map((c) => ({
    key: c.key,
    style: c.style,
    form: c.form,
    url: c.url,
    ...(c.expires !== undefined ? { expires: c.expires } : {}),
    ...(c.check !== undefined
      ? { check: { status: c.check.status, contentType: c.check.contentType, bytes: c.check.bytes, ...(c.check.code !== undefined ? { code: c.check.code } : {}) } }
      : {})
  }))
  return `${JSON.stringify(plain, null, 2)}\n`
}

/** A matrix, or a selection of its cells (a row, a column), in one of the export formats. */
export function formatLinks(matrix: LinkMatrix, format: LinkFormat): string {
  switch (format) {
    case 'list':
      return matrix.cells.map((c) => `${c.url}\n`).join('')
    case 'csv':
      return ['key,style,form,url,expires', ...matrix.cells.map((c) => [c.key, c.style, c.form, c.url, c.expires ?? ''].map(csvField).join(','))].map((l) => `${l}\r\n`).join('')
    case 'md': {
      const header = `| key | ${matrix.columns.map((c) => mdCell(c.label)).join(' | ')} |`
      const rule = `|---|${matrix.columns.map(() => '---').join('|')}|`
      const body = rows(matrix).map((cells, row) => `| ${mdCell(matrix.keys[row] as string)} | ${cells.map((c) => `[${mdCell(c.style)}](${c.url.replace(/\)/g, '%29').replace(/ /g, '%20')})`).join(' | ')} |`)
      return `${[header, rule, ...body].join('\n')}\n`
    }
    case 'html':
      return htmlDocument(matrix)
    case 'json':
      return linksJson(matrix.cells)
  }
}

/** One row (object) or one column (style) of a matrix, as a matrix of its own. */
export function sliceMatrix(matrix: LinkMatrix, pick: { row: number } | { column: number }): LinkMatrix {
  const width = matrix.columns.length
  if ('row' in pick) return { keys: [matrix.keys[pick.row] as string], columns: matrix.columns, cells: matrix.cells.slice(pick.row * width, pick.row * width + width) }
  return { keys: matrix.keys, columns: [matrix.columns[pick.column] as LinkColumn], cells: matrix.cells.filter((_, i) => i % width === pick.column) }
}

export const LINK_FILE_EXTENSIONS: Record<LinkFormat, string> = { list: 'txt', csv: 'csv', md: 'md', html: 'html', json: 'json' }
