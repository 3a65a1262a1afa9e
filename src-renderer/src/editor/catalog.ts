/** The palette: every OSS action of the registry, grouped for the eye, with an icon each. */
import { ACTIONS, type ActionName } from '../../../src-shared/img/actions'
import type { MessageKey } from '../i18n/keys'
import type { EditorIconName } from './icons'

export interface PaletteGroup {
  readonly title: MessageKey
  readonly actions: readonly ActionName[]
}

export const PALETTE: readonly PaletteGroup[] = [
  { title: 'editor.palette.geometry', actions: ['resize', 'crop', 'circle', 'rounded-corners', 'indexcrop'] },
  { title: 'editor.palette.orient', actions: ['rotate', 'auto-orient'] },
  { title: 'editor.palette.adjust', actions: ['blur', 'bright', 'contrast', 'sharpen'] },
  { title: 'editor.palette.overlay', actions: ['watermark'] },
  { title: 'editor.palette.output', actions: ['format', 'quality', 'interlace'] },
  { title: 'editor.palette.inspect', actions: ['info', 'average-hue', 'ignore-error'] }
]

/** Any action added to the registry later still shows up (under "More"). */
export function paletteGroups(): readonly PaletteGroup[] {
  const listed = new Set(PALETTE.flatMap((g) => g.actions))
  const rest = (Object.keys(ACTIONS) as ActionName[]).filter((a) => !listed.has(a))
  return rest.length > 0 ? [...PALETTE, { title: 'editor.palette.more', actions: rest }] : PALETTE
}

export const ACTION_ICONS: Readonly<Record<ActionName, EditorIconName>> = {
  resize: 'resize',
  crop: 'crop',
  circle: 'circle',
  indexcrop: 'layers',
  'rounded-corners': 'crop',
  rotate: 'rotate',
  'auto-orient': 'rotate',
  blur: 'blur',
  bright: 'adjust',
  contrast: 'adjust',
  sharpen: 'adjust',
  watermark: 'text',
  format: 'file',
  quality: 'file',
  interlace: 'layers',
  info: 'json',
  'average-hue': 'json',
  'ignore-error': 'shield'
}
