/**
 * The watermark boxes over the processed picture: one per single watermark the engine drew (its
 * rectangle from the render, never guessed), dragged to move it — the step's g (nearest of the nine
 * gravity cells, shown as guides while dragging), x, y and voffset follow live and the whole drag is
 * one undo step — nudged with the arrow keys (1 px, Shift 10 px), resized with the corner handle
 * (text `size`, image `P`) and turned with the rotate handle (text `rotate`).
 */
import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react'
import type { Gravity } from '../../../../src-shared/img/actions/gravity'
import type { PlacementParams } from '../../../../src-shared/img/geometry/watermark'
import { beginGesture, dispatch, endGesture, select, useEditor } from '../../state/editor'
import type { Rect } from '../Stage'
import { boxOf, describePlacement, percentOf, describeSize, dragged, markTargets, nudged, placementOf, placementValues, resized, rotated, sizeKindOf, stepFrameOf, type MarkTarget, type PlacedMark } from './model'

const GRID: readonly Gravity[] = ['nw', 'north', 'ne', 'west', 'center', 'east', 'sw', 'south', 'se']

type Drag =
  | { readonly kind: 'move'; readonly id: number; readonly x: number; readonly y: number; readonly mark: PlacedMark; readonly start: PlacementParams; readonly g: Gravity }
  | { readonly kind: 'size'; readonly id: number; readonly x: number; readonly y: number; readonly mark: PlacedMark; readonly start: MarkTarget['params']; readonly width: number; readonly height: number }
  | { readonly kind: 'rotate'; readonly id: number; readonly cx: number; readonly cy: number; readonly angle: number; readonly start: MarkTarget['params'] }

const angleOf = (x: number, y: number, cx: number, cy: number) => (Math.atan2(y - cy, x - cx) * 180) / Math.PI

export interface WatermarkLayerProps {
  /** The output box on the stage (CSS px) and its scale (CSS px per output px). */
  readonly rect: Rect & { readonly scale: number }
  readonly marks: readonly PlacedMark[] | undefined
  /** The picture on screen was rendered from the current process string (else boxes are predicted from the parameters). */
  readonly current: boolean
}

/**
 * Not clipped at the split divider: the box is a handle, not part of the picture, and a mark
 * dragged over the original's half must stay reachable.
 */
export function WatermarkLayer({ rect, marks, current }: WatermarkLayerProps) {
  const doc = useEditor((s) => s.doc)
  const targets = markTargets(doc, marks)
  if (targets.length === 0) return null
  return (
    <div className="vlayer wm-layer">
      {targets.map((target) => (
        <WatermarkBox key={`${target.itemId}:${target.mark.step}`} target={target} rect={rect} current={current} />
      ))}
    </div>
  )
}

function WatermarkBox({ target, rect, current }: { target: MarkTarget; rect: WatermarkLayerProps['rect']; current: boolean }) {
  const { itemId, params, mark } = target
  const drag = useRef<Drag | undefined>(undefined)
  const [guide, setGuide] = useState<{ mark: PlacedMark; g: Gravity } | undefined>(undefined)
  const placement = placementOf(params)
  // While a drag is on, the parameters lead (the render follows); at rest the engine's rectangle.
  const box = boxOf(mark, params, current && !guide)
  const s = rect.scale
  const style = { left: rect.left + box.left * s, top: rect.top + box.top * s, width: box.width * s, height: box.height * s }
  const kind = sizeKindOf(params)

  const place = (next: PlacementParams, key = 'place') => dispatch({ type: 'setParams', id: itemId, key, values: placementValues(next) })
  // Each arrow press is one undo step; a held key (auto-repeat) coalesces into the press it began with.
  const presses = useRef(0)

  const start = (event: PointerEvent<HTMLElement>, next: Drag) => {
    if (event.button !== 0) return
    event.preventDefault()
    event.stopPropagation()
    // preventDefault keeps the page from selecting text, and the focus from moving: focus it here (the arrows work next).
    event.currentTarget.focus()
    event.currentTarget.setPointerCapture(event.pointerId)
    beginGesture()
    // The step's form beside the pipeline shows the numbers change.
    select(itemId)
    drag.current = next
    if (next.kind === 'move') setGuide({ mark: next.mark, g: next.start.g })
  }
  const move = (event: PointerEvent<HTMLElement>) => {
    const d = drag.current
    if (!d || d.id !== event.pointerId) return
    if (d.kind === 'move') {
      const next = dragged(d.mark, d.start, (event.clientX - d.x) / s, (event.clientY - d.y) / s)
      place(next)
      if (next.g !== d.g) {
        drag.current = { ...d, g: next.g }
        setGuide({ mark: d.mark, g: next.g })
      }
    } else if (d.kind === 'size') {
      const factor = Math.max(0.05, ((d.width + (event.clientX - d.x) / s) / d.width + (d.height + (event.clientY - d.y) / s) / d.height) / 2)
      dispatch({ type: 'setParams', id: itemId, key: 'size', values: resized(d.start, d.mark, factor) })
    } else {
      dispatch({ type: 'setParams', id: itemId, key: 'rotate', values: { rotate: rotated(d.start, angleOf(event.clientX, event.clientY, d.cx, d.cy) - d.angle) } })
    }
  }
  const end = (event: PointerEvent<HTMLElement>) => {
    if (drag.current?.id !== event.pointerId) return
    drag.current = undefined
    setGuide(undefined)
    endGesture()
  }
  // On the box only: the handles' pointer events bubble up to it.
  const handlers = { onPointerMove: move, onPointerUp: end, onPointerCancel: end, onLostPointerCapture: end }

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const step = event.shiftKey ? 10 : 1
    const delta: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }
    const d = delta[event.key]
    if (!d || event.altKey || event.ctrlKey || event.metaKey) return
    event.preventDefault()
    event.stopPropagation()
    if (!event.repeat) presses.current += 1
    place(nudged(mark, placement, d[0], d[1]), `nudge-${presses.current}`)
  }

  const onSizeKey = (event: KeyboardEvent<HTMLElement>) => {
    const more = event.key === 'ArrowUp' || event.key === 'ArrowRight'
    const less = event.key === 'ArrowDown' || event.key === 'ArrowLeft'
    if (!more && !less) return
    event.preventDefault()
    event.stopPropagation()
    const factor = 1 + (more ? 1 : -1) * (event.shiftKey ? 0.1 : 0.02)
    dispatch({ type: 'setParams', id: itemId, key: 'size', values: resized(params, mark, factor) })
  }
  const onRotateKey = (event: KeyboardEvent<HTMLElement>) => {
    const more = event.key === 'ArrowUp' || event.key === 'ArrowRight'
    const less = event.key === 'ArrowDown' || event.key === 'ArrowLeft'
    if (!more && !less) return
    event.preventDefault()
    event.stopPropagation()
    dispatch({ type: 'setParams', id: itemId, key: 'rotate', values: { rotate: rotated(params, (more ? 1 : -1) * (event.shiftKey ? 15 : 1)) } })
  }

  const valueText = describePlacement(placement)
  const rotate = Number(params.rotate ?? 0)
  return (
    <>
      {guide ? <Guides frame={stepFrameOf(guide.mark)} g={guide.g} rect={rect} /> : null}
      <div
        className="wm-box"
        data-no-pan
        data-testid="watermark-box"
        data-dragging={guide ? 'true' : undefined}
        style={style}
        role="slider"
        tabIndex={0}
        aria-label="Watermark position"
        aria-roledescription="2D position"
        aria-valuetext={valueText}
        aria-valuenow={placement.x}
        aria-valuemin={0}
        aria-valuemax={4096}
        title={`${valueText} — drag to move, arrow keys nudge 1 px (Shift 10 px)`}
        onPointerDown={(event) => start(event, { kind: 'move', id: event.pointerId, x: event.clientX, y: event.clientY, mark, start: placement, g: placement.g })}
        onKeyDown={onKeyDown}
        {...handlers}
      >
        <span className="wm-readout" aria-hidden="true">
          {valueText}
        </span>
        <span
          className="wm-handle wm-size"
          data-no-pan
          role="slider"
          tabIndex={0}
          aria-label="Watermark size"
          aria-valuetext={describeSize(params, mark)}
          aria-valuenow={kind === 'image' ? percentOf(params, mark) : Number(params.size ?? 40)}
          title={kind === 'text' ? 'Drag to change the text size' : 'Drag to change the image size (P, % of the image width)'}
          onPointerDown={(event) => start(event, { kind: 'size', id: event.pointerId, x: event.clientX, y: event.clientY, mark, start: params, width: box.width, height: box.height })}
          onKeyDown={onSizeKey}
        />
        {kind !== 'image' ? (
          <span
            className="wm-handle wm-rotate"
            data-no-pan
            role="slider"
            tabIndex={0}
            aria-label="Watermark rotation"
            aria-valuenow={rotate}
            aria-valuemin={0}
            aria-valuemax={360}
            aria-valuetext={`rotate_${rotate}`}
            title="Drag to turn the text (rotate, clockwise)"
            onPointerDown={(event) => {
              const bounds = event.currentTarget.parentElement!.getBoundingClientRect()
              const cx = bounds.left + bounds.width / 2
              const cy = bounds.top + bounds.height / 2
              start(event, { kind: 'rotate', id: event.pointerId, cx, cy, angle: angleOf(event.clientX, event.clientY, cx, cy), start: params })
            }}
            onKeyDown={onRotateKey}
          />
        ) : null}
      </div>
    </>
  )
}

/** The nine gravity cells of the image at the watermark step, the one the mark anchors to highlighted. */
function Guides({ frame, g, rect }: { frame: { left: number; top: number; width: number; height: number }; g: Gravity; rect: WatermarkLayerProps['rect'] }) {
  const s = rect.scale
  const style = { left: rect.left + frame.left * s, top: rect.top + frame.top * s, width: frame.width * s, height: frame.height * s }
  return (
    <div className="wm-guides" style={style} aria-hidden="true" data-testid="watermark-guides">
      {GRID.map((cell) => (
        <span key={cell} className="wm-cell" data-active={cell === g ? 'true' : undefined} data-gravity={cell}>
          {cell === g ? <span className="wm-cell-label">g_{cell}</span> : null}
        </span>
      ))}
    </div>
  )
}
