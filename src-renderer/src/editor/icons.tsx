/** The editor's 16px line icons (same drawing rules as ui/Icon: inline SVG, currentColor). */
const PATHS = {
  grip: 'M6 3.5h.01M10 3.5h.01M6 8h.01M10 8h.01M6 12.5h.01M10 12.5h.01',
  copy: 'M5.5 5.5h7.25v7.25H5.5zM3.25 10.5V3.25h7.25',
  trash: 'M2.75 4.25h10.5M6.25 4.25V2.75h3.5v1.5M4 4.25l.75 9h6.5l.75-9M6.75 6.75v4M9.25 6.75v4',
  undo: 'M5.5 3.25L2.75 6l2.75 2.75M2.75 6h6.5a4 4 0 0 1 0 8H7',
  redo: 'M10.5 3.25L13.25 6 10.5 8.75M13.25 6h-6.5a4 4 0 0 0 0 8H9',
  clipboard: 'M5.75 2.75h4.5v2h-4.5zM5.75 3.75h-2v9.5h8.5v-9.5h-2',
  check: 'M3 8.5l3.25 3.25L13 5',
  info: 'M8 14.25A6.25 6.25 0 1 0 8 1.75a6.25 6.25 0 0 0 0 12.5zM8 7.25v4M8 4.75v.01',
  alert: 'M8 1.75L14.75 13.5H1.25zM8 6v3.5M8 11.5v.01',
  layers: 'M8 2L14 5.25 8 8.5 2 5.25zM2 8l6 3.25L14 8M2 10.75L8 14l6-3.25',
  plus: 'M8 3v10M3 8h10',
  resize: 'M2.75 9.5v3.75H6.5M13.25 6.5V2.75H9.5M2.75 13.25L7 9M13.25 2.75L9 7',
  crop: 'M4.25 1.75v9.5a.5.5 0 0 0 .5.5h9.5M1.75 4.25h9.5a.5.5 0 0 1 .5.5v9.5',
  circle: 'M8 13.75a5.75 5.75 0 1 0 0-11.5 5.75 5.75 0 0 0 0 11.5z',
  rotate: 'M13.25 8A5.25 5.25 0 1 1 11.7 4.3M13.25 2.5v2.75H10.5',
  adjust: 'M8 13.75a5.75 5.75 0 1 0 0-11.5zM8 2.25a5.75 5.75 0 0 0 0 11.5',
  blur: 'M8 2.25c2.5 3 4 5.1 4 7a4 4 0 0 1-8 0c0-1.9 1.5-4 4-7z',
  text: 'M3 3.5h10M8 3.5v9.5M6 13h4',
  file: 'M4 1.75h5.25L12.5 5v9.25H4zM9 1.75V5.25h3.5',
  json: 'M5.5 2.75c-1.5 0-1.75.75-1.75 2v1.5c0 .9-.5 1.5-1.5 1.75 1 .25 1.5.85 1.5 1.75v1.5c0 1.25.25 2 1.75 2M10.5 2.75c1.5 0 1.75.75 1.75 2v1.5c0 .9.5 1.5 1.5 1.75-1 .25-1.5.85-1.5 1.75v1.5c0 1.25-.25 2-1.75 2',
  shield: 'M8 1.75l5.25 2v4c0 3.2-2.2 5.4-5.25 6.5-3.05-1.1-5.25-3.3-5.25-6.5v-4z'
} as const

export type EditorIconName = keyof typeof PATHS

export function EIcon({ name, size = 16 }: { name: EditorIconName; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={name === 'grip' ? 2.4 : 1.5} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={PATHS[name]} />
    </svg>
  )
}
