import { ecOf, missingOf } from '../error-codes'
import type { ActionSchema, ParamsOf } from '../schema'

export const OUTPUT_FORMATS = ['jpg', 'png', 'webp', 'bmp', 'gif', 'tiff', 'heic', 'avif'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

/** Spec §3.12. Sets the encoder wherever it appears; `jpeg` is an alias of `jpg` (Project decision). */
export const format = {
  name: 'format',
  title: 'Format',
  summary: 'Encode the result as JPG, PNG, WebP, BMP, GIF, TIFF, HEIC or AVIF.',
  docUrl: 'https://www.alibabacloud.com/help/en/oss/user-guide/convert-image-formats-2',
  bare: {
    type: 'enum',
    values: OUTPUT_FORMATS,
    aliases: { jpeg: 'jpg' },
    ec: ecOf('format', 'value', 'unsupported'),
    required: missingOf('format', 'value'),
    doc: 'Output format'
  },
  params: {}
} as const satisfies ActionSchema

export type FormatParams = ParamsOf<typeof format>
