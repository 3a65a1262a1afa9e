/**
 * OSS's error codes (EC) of the IMG language, one row per action, parameter and cause, as OSS's
 * help pages give them (help.aliyun.com/zh/oss/support/0040-000002xx … 0040-000003xx). The action
 * modules take their ECs from here (`ecOf`, `missingOf`), `docs/error-codes.md` is this table
 * rendered, and a test runs every row's example through the parser.
 *
 * Where no page exists for a cause, or two pages disagree, `decision` says what we answer and why.
 */
import type { OssErrorCode } from './errors'

/** What went wrong, as a lookup key; `cause` in the row says it in words. */
export type EcKind =
  /** The action or parameter is given without a value (`image/rotate`). */
  | 'missing'
  /** Not a number, out of range or not one of the allowed values. */
  | 'invalid'
  /** Not a number, where OSS has a code of its own for that (indexcrop `y`). */
  | 'not-a-number'
  /** The bare shorthand of a keyed parameter (`quality,200`). */
  | 'bare'
  | 'empty'
  | 'too-long'
  | 'unsupported'
  /** A single-value action given several values. */
  | 'extra-value'
  /** An operator or parameter OSS does not know. */
  | 'unknown'
  /** None of the parameters the action needs. */
  | 'none'
  | 'both-zero'
  | 'too-many'

export interface EcRow {
  readonly ec: string
  /** The OSS action; `*` for rules of the grammar that hold for every action. */
  readonly action: string
  /** The parameter; `value` for a single-value action's bare value, `''` for the action as a whole. */
  readonly param: string
  readonly kind: EcKind
  /** The cause, in the words of OSS's page (translated). */
  readonly cause: string
  readonly code: OssErrorCode
  /** A process string that triggers it (most are the page's own example). */
  readonly example: string
  /** The help page the row follows. */
  readonly url: string
  /** Present when no page gives this cause or two pages disagree: what we answer and why. */
  readonly decision?: string
}

const page = (ec: string) => `https://help.aliyun.com/zh/oss/support/${ec}`

function row(
  ec: string,
  action: string,
  param: string,
  kind: EcKind,
  cause: string,
  example: string,
  more: { code?: OssErrorCode; decision?: string; url?: string } = {}
): EcRow {
  const code = more.code ?? (kind === 'missing' || kind === 'none' ? 'MissingArgument' : 'InvalidArgument')
  return { ec, action, param, kind, cause, code, example, url: more.url ?? page(ec), ...(more.decision ? { decision: more.decision } : {}) }
}

const TEXT = 'SGVsbG8gV29ybGQ' // "Hello World", the pages' watermark text

export const EC_TABLE: readonly EcRow[] = [
  // The grammar (spec §1.2).
  row('0040-00000212', '*', '', 'missing', 'No operator after "image/"', 'image/', { code: 'InvalidArgument' }),
  row('0040-00000212', '*', '', 'invalid', 'A chain that does not start with "image/" or "style/"', 'img/resize,w_100', {
    decision: 'No page; 212 (no operator after "image/") is the closest.'
  }),
  row('0040-00000213', '*', '', 'unknown', 'Unknown operator', 'image/slim,1'),
  row('0040-00000213', '*', '', 'unknown', 'Unknown parameter of a known operator, or an empty one before another parameter', 'image/resize,w_100,,h_100', {
    decision: "No page names unknown parameters; 213 (the unknown-operator page) is the closest. Empty parameters at the end are ignored (issue 17 §3)."
  }),
  row('0040-00000203', '*', 'value', 'extra-value', 'A single-value operator given several values', 'image/rotate,90,200,300', {
    decision: 'The page lists auto-orient, rotate, bright, sharpen and interlace; contrast, format and ignore-error are single-value too and get the same code.'
  }),

  // resize (spec §3.1).
  row('0040-00000311', 'resize', 'm', 'invalid', 'm is not lfit, mfit, fill, pad or fixed', 'image/resize,w_100,m_abc'),
  row('0040-00000312', 'resize', 'w', 'invalid', 'w is outside [1,16384]', 'image/resize,w_0'),
  row('0040-00000313', 'resize', 'h', 'invalid', 'h is outside [1,16384]', 'image/resize,h_0', {
    url: page('0040-00000312'),
    decision: "No page found for h; 313 sits between w's 312 and l's 314 (spec §3.1.1 Project decision)."
  }),
  row('0040-00000314', 'resize', 'l', 'invalid', 'l is outside [1,16384]', 'image/resize,l_0'),
  row('0040-00000315', 'resize', 's', 'invalid', 's is outside [1,16384]', 'image/resize,s_0'),
  row('0040-00000317', 'resize', 'p', 'invalid', 'p is outside [1,1000]', 'image/resize,p_0', {
    decision: "The page is 317; the spec's earlier inference (316) is replaced by the page."
  }),
  row('0040-00000317', 'resize', 'P', 'invalid', "P (a watermark image's width as % of the main image) is outside [1,100]", `image/watermark,image_cGFuZGEucG5nP3gtb3NzLXByb2Nlc3M9aW1hZ2UvcmVzaXplLFBfMA`, {
    url: page('0040-00000317'),
    decision: "No page for P (only inside a watermark image's own process string); p's page is the closest."
  }),
  row('0040-00000318', 'resize', 'color', 'invalid', 'color is not 6 hex digits', 'image/resize,w_100,m_pad,color_AABBCCDD'),
  row('0040-00000319', 'resize', 'limit', 'invalid', 'limit is not 0 or 1', 'image/resize,w_100,limit_3'),
  row('0040-00000321', 'resize', '', 'both-zero', 'w and h are both 0', 'image/resize,w_0,h_0'),
  row('0040-00000322', 'resize', '', 'none', 'No size parameter (w, h, l, s or p)', 'image/resize'),

  // crop (spec §3.2).
  row('0040-00000225', 'crop', 'w', 'invalid', 'w is not a number or is negative', 'image/crop,x_100,y_50,w_-1,h_100'),
  row('0040-00000226', 'crop', 'h', 'invalid', 'h is not a number or is negative', 'image/crop,x_100,y_50,w_100,h_abc'),
  row('0040-00000225', 'crop', 'x', 'invalid', 'x is not a number or is negative', 'image/crop,x_-5,w_100', {
    url: page('0040-00000225'),
    decision: "No page for x; w's page (the same axis) is the closest."
  }),
  row('0040-00000226', 'crop', 'y', 'invalid', 'y is not a number or is negative', 'image/crop,y_abc,w_100', {
    url: page('0040-00000226'),
    decision: "No page for y; h's page (the same axis) is the closest."
  }),
  row('0040-00000209', 'crop', 'g', 'invalid', 'g is not one of the nine gravities', 'image/crop,w_500,h_500,g_fac'),

  // circle (spec §3.3).
  row('0040-00000233', 'circle', 'r', 'invalid', 'r is not a number or is outside [1,4096]', 'image/circle,r_5000'),
  row('0040-00000233', 'circle', 'r', 'missing', 'r is not given', 'image/circle', { decision: "No page for a missing r; r's page is the closest." }),

  // indexcrop (spec §3.4).
  row('0040-00000230', 'indexcrop', 'x', 'invalid', 'x is not a valid length (x_0)', 'image/indexcrop,x_0,i_0', {
    decision: 'The page covers x and y ("x,y不能同时为0"); its Chinese text calls the action 内切圆 (circle) by mistake. A non-numeric x gets the same code: no page of its own was found.'
  }),
  row('0040-00000224', 'indexcrop', 'y', 'not-a-number', 'y is not a number', 'image/indexcrop,y_abc,i_0'),
  row('0040-00000230', 'indexcrop', 'y', 'invalid', 'y is not a valid length (y_0)', 'image/indexcrop,y_0,i_0', { decision: "230's page covers x and y alike." }),
  row('0040-00000229', 'indexcrop', 'i', 'invalid', 'i is not a number', 'image/indexcrop,x_100,i_abc', { decision: 'A negative i gets the same code: the page knows only "not a number".' }),
  row('0040-00000230', 'indexcrop', '', 'none', 'Neither x nor y is given', 'image/indexcrop,i_1', { decision: "No page; 230 is the page for x and y." }),

  // rounded-corners (spec §3.5).
  row('0040-00000237', 'rounded-corners', 'r', 'invalid', 'r is not a number or is outside [1,4096]', 'image/rounded-corners,r_5000'),
  row('0040-00000237', 'rounded-corners', 'r', 'missing', 'r is not given', 'image/rounded-corners', { decision: "No page for a missing r; r's page is the closest." }),

  // rotate, auto-orient (spec §3.6, §3.7).
  row('0040-00000216', 'rotate', 'value', 'missing', 'No angle', 'image/rotate'),
  row('0040-00000217', 'rotate', 'value', 'invalid', 'The angle is not a number or is outside [0,360]', 'image/rotate,400'),
  row('0040-00000214', 'auto-orient', 'value', 'missing', 'No value', 'image/resize,w_100/auto-orient'),
  row('0040-00000215', 'auto-orient', 'value', 'invalid', 'The value is not 0 or 1', 'image/resize,w_100/auto-orient,10'),

  // blur (spec §3.8).
  row('0040-00000241', 'blur', 'r', 'invalid', 'r is not a number or is outside [1,50]', 'image/blur,r_200,s_25'),
  row('0040-00000242', 'blur', 's', 'invalid', 's is not a number or is outside [1,50]', 'image/blur,r_3,s_200'),
  row('0040-00000241', 'blur', 'r', 'missing', 'r is not given', 'image/blur,s_25', { decision: "No page for a missing r; r's page is the closest." }),
  row('0040-00000242', 'blur', 's', 'missing', 's is not given', 'image/blur,r_3', { decision: "No page for a missing s; s's page is the closest." }),

  // bright, contrast, sharpen (spec §3.9–3.11).
  row('0040-00000245', 'bright', 'value', 'missing', 'No value', 'image/bright'),
  row('0040-00000246', 'bright', 'value', 'invalid', 'The value is not a number or is outside [-100,100]', 'image/bright,200'),
  row('0040-00000248', 'contrast', 'value', 'invalid', 'The value is outside [-100,100]', 'image/contrast,200', {
    decision: "OSS has no page for the new contrast action; 248 is its contrast page (for the old @200d syntax), the only contrast code it documents."
  }),
  row('0040-00000248', 'contrast', 'value', 'missing', 'No value', 'image/contrast', { decision: "No page; the contrast page (248) is the closest." }),
  row('0040-00000279', 'sharpen', 'value', 'missing', 'No value', 'image/sharpen'),
  row('0040-00000280', 'sharpen', 'value', 'invalid', 'The value is outside [50,399]', 'image/sharpen,10'),

  // format, quality, interlace (spec §3.12–3.14).
  row('0040-00000207', 'format', 'value', 'missing', 'No format', 'image/format'),
  row('0040-00000206', 'format', 'value', 'unsupported', 'Not a supported output format', 'image/format,dng'),
  row('0040-00000307', 'quality', '', 'none', 'Neither q nor Q is given', 'image/quality'),
  row('0040-00000308', 'quality', 'Q', 'invalid', 'Q is outside [1,100]', 'image/quality,Q_200'),
  row('0040-00000309', 'quality', 'q', 'invalid', 'q is outside [1,100]', 'image/quality,q_200'),
  row('0040-00000310', 'quality', 'q', 'bare', 'The bare value (quality,N) is outside [1,100]', 'image/quality,200'),
  row('0040-00000281', 'interlace', 'value', 'missing', 'No value', 'image/interlace'),
  row('0040-00000282', 'interlace', 'value', 'invalid', 'The value is not 0 or 1', 'image/interlace,2'),

  // watermark (spec §3.15).
  row('0040-00000257', 'watermark', 'text', 'invalid', 'text is not URL-safe Base64', 'image/watermark,text_!!!'),
  row('0040-00000258', 'watermark', 'text', 'empty', 'text is empty', 'image/watermark,text'),
  row('0040-00000259', 'watermark', 'text', 'too-long', 'text is longer than 64 bytes once decoded', 'image/watermark,text_eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHg'),
  row('0040-00000250', 'watermark', 'type', 'invalid', 'type is not URL-safe Base64', `image/watermark,text_${TEXT},type_!!!`),
  row('0040-00000251', 'watermark', 'type', 'unsupported', 'type names a font OSS does not have', `image/watermark,text_${TEXT},type_bm90c3VwcG9ydA`),
  row('0040-00000254', 'watermark', 'color', 'invalid', 'color is not 6 hex digits', `image/watermark,text_${TEXT},color_AABBCCDD`, {
    decision: "The page's example also carries an unsupported type (type_bm90c3VwcG9ydAo, which is 251's cause). We report parameters in the order written, so that string answers 251; the example here has the colour alone."
  }),
  row('0040-00000255', 'watermark', 'shadow', 'invalid', 'shadow is not a number or is outside [0,100]', `image/watermark,text_${TEXT},shadow_200`),
  row('0040-00000256', 'watermark', 'size', 'invalid', 'size is outside (0,1000]', `image/watermark,text_${TEXT},size_1001`),
  row('0040-00000260', 'watermark', 'g', 'invalid', 'g is not one of the nine gravities', `image/watermark,text_${TEXT},g_xx`),
  row('0040-00000262', 'watermark', 'x', 'invalid', 'x is outside [0,4096]', `image/watermark,text_${TEXT},x_8000`),
  row('0040-00000263', 'watermark', 't', 'invalid', 't is outside [0,100]', `image/watermark,text_${TEXT},t_200`),
  row('0040-00000264', 'watermark', 'y', 'invalid', 'y is outside [0,4096]', `image/watermark,text_${TEXT},y_8000`),
  row('0040-00000265', 'watermark', 'image', 'invalid', 'image is not URL-safe Base64', 'image/watermark,image_notbase64'),
  row('0040-00000265', 'watermark', 'image', 'too-many', 'More than 3 different watermark images in one chain', 'image/watermark,image_YS5wbmc/watermark,image_Yi5wbmc/watermark,image_Yy5wbmc/watermark,image_ZC5wbmc', {
    decision: "No page for the count (spec §3.15.2 Project decision); image's page is the closest."
  }),
  row('0040-00000268', 'watermark', 'voffset', 'invalid', 'voffset is outside [-1000,1000]', `image/watermark,text_${TEXT},voffset_2000`),
  row('0040-00000269', 'watermark', 'order', 'invalid', 'order is not 0 or 1', `image/watermark,text_${TEXT},image_cGFuZGEucG5n,order_2`),
  row('0040-00000270', 'watermark', 'interval', 'invalid', 'interval is outside [0,1000]', `image/watermark,text_${TEXT},image_cGFuZGEucG5n,interval_2000`),
  row('0040-00000271', 'watermark', 'align', 'invalid', 'align is not 0, 1 or 2', `image/watermark,text_${TEXT},image_cGFuZGEucG5n,align_3`),
  row('0040-00000272', 'watermark', 'rotate', 'invalid', 'rotate is outside [0,360]', `image/watermark,text_${TEXT},rotate_400`, {
    decision: 'The Chinese page calls rotate "the alignment of text and image" (对齐方式); its range [0,360] and example are those of the text rotation, which is what we check.'
  }),
  row('0040-00000274', 'watermark', 'fill', 'invalid', 'fill is not 0 or 1', `image/watermark,text_${TEXT},fill_2`),
  row('0040-00000276', 'watermark', 'padx', 'invalid', 'padx is outside [0,4096]', `image/watermark,text_${TEXT},fill_1,padx_5000`),
  row('0040-00000277', 'watermark', 'pady', 'invalid', 'pady is outside [0,4096]', `image/watermark,text_${TEXT},fill_1,pady_5000`),
  row('0040-00000278', 'watermark', '', 'none', 'Neither text nor image is given', 'image/watermark')
]

function find(action: string, param: string, kind: EcKind): EcRow {
  const found = EC_TABLE.find((r) => r.action === action && r.param === param && r.kind === kind)
  // Module load fails loudly: an action module asking for a code the table lacks is a bug.
  if (!found) throw new Error(`error-codes: no row for ${action} ${param || '(action)'} ${kind}`)
  return found
}

/** The EC of one cause. */
export function ecOf(action: string, param: string, kind: EcKind): string {
  return find(action, param, kind).ec
}

/** EC and Code for a parameter (or, with `''`, an action) given without a value. */
export function missingOf(action: string, param: string, kind: 'missing' | 'none' = 'missing'): { ec: string; code: OssErrorCode } {
  const found = find(action, param, kind)
  return { ec: found.ec, code: found.code }
}
