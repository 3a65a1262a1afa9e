/** A handful of 16px line icons (inline SVG: no icon font, nothing fetched). */
const PATHS = {
  folder: 'M1.75 4.25c0-.83.67-1.5 1.5-1.5h3l1.5 1.75h5c.83 0 1.5.67 1.5 1.5v6.25c0 .83-.67 1.5-1.5 1.5h-9.5c-.83 0-1.5-.67-1.5-1.5z',
  file: 'M4 1.75h5.25L12.5 5v9.25H4zM9 1.75V5.25h3.5',
  image: 'M2.25 3.25h11.5v9.5H2.25zM2.5 11l3.25-3.5 2.5 2.5 1.75-1.75L13.5 11.5M10.5 6.25a.75.75 0 1 0 0-.01',
  refresh: 'M13.25 8A5.25 5.25 0 1 1 11.7 4.3M13.25 2.5v2.75H10.5',
  plus: 'M8 3v10M3 8h10',
  check: 'M3 8.5l3.25 3.25L13 5',
  alert: 'M8 1.75L14.75 13.5H1.25zM8 6v3.5M8 11.5v.01',
  bucket: 'M2.5 4h11l-1.25 9.25H3.75zM2.5 4c0-1.1 2.46-2 5.5-2s5.5.9 5.5 2',
  key: 'M10 2.25a3.75 3.75 0 1 1-2.7 6.35L2.25 13.75v-2.5H4v-1.5h1.5L7.4 7.85A3.75 3.75 0 0 1 10 2.25zM11 5h.01',
  plug: 'M5.5 1.75v3M10.5 1.75v3M3.75 4.75h8.5v2.5a4.25 4.25 0 0 1-8.5 0zM8 11.5v2.75',
  chevron: 'M6 3.5l4.5 4.5L6 12.5',
  logo: 'M3 4.5h10v7H3zM3 10l3-3 2.25 2.25L10 7.5l3 3M10.25 6.25v.01'
} as const

export type IconName = keyof typeof PATHS

export function Icon({ name, size = 16, title }: { name: IconName; size?: number; title?: string }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinecap="round" strokeLinejoin="round" aria-hidden={title ? undefined : true} role={title ? 'img' : undefined}>
      {title ? <title>{title}</title> : null}
      <path d={PATHS[name]} />
    </svg>
  )
}
