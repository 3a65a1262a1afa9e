import type { ActionSchema, ParamsOf } from '../schema'

/** Spec §3.16. Must be the only action. */
export const info = {
  name: 'info',
  title: 'Info',
  summary: 'Return size, format and EXIF tags as JSON.',
  docUrl: 'https://www.alibabacloud.com/help/en/oss/user-guide/query-the-exif-data-of-an-image-4',
  params: {},
  standalone: true
} as const satisfies ActionSchema

export type InfoParams = ParamsOf<typeof info>
