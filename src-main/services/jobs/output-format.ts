/**
 * `{format}` before any pixel is read: the process's `format,X` when it has one (GIF output only
 * for GIF sources, as the engine and OSS do), else the source's format from its extension;
 * `json` for info / average-hue. Empty when the output follows a source of unknown format.
 */
import { parseProcess } from '../../../src-shared/img/process'
import { chainSettings } from '../../engine/executor'
import { keyParts } from './template'

const BY_EXTENSION: Readonly<Record<string, string>> = {
  jpg: 'jpg',
  jpeg: 'jpg',
  jpe: 'jpg',
  png: 'png',
  webp: 'webp',
  bmp: 'bmp',
  gif: 'gif',
  tif: 'tiff',
  tiff: 'tiff',
  heic: 'heic',
  heif: 'heic',
  avif: 'avif'
}

export function sourceFormat(key: string): string {
  return BY_EXTENSION[keyParts(key).ext.toLowerCase()] ?? ''
}

/** Memoized per process string: a job has few styles and many keys. */
export function outputFormatResolver(process: string): (sourceKey: string) => string {
  const parsed = parseProcess(process)
  if (parsed.kind !== 'image') return sourceFormat
  if (parsed.steps.some((s) => s.action === 'info' || s.action === 'average-hue')) return () => 'json'
  const requested = chainSettings(parsed.steps).format
  return (sourceKey) => {
    const source = sourceFormat(sourceKey)
    if (!requested || (requested === 'gif' && source !== 'gif')) return source
    return requested
  }
}
