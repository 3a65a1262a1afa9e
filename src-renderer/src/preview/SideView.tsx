/** Side by side: two stages zoomed and panned together. */
import { Chip, type AfterMarks } from './StageParts'
import { PictureLayer, Stage, type Picture } from './Stage'
import type { Size } from './viewport'
import { WatermarkLayer } from './watermark/WatermarkLayer'

export function SideView({ box, left, right, leftLabel, rightLabel, rightStatus, rightBlocked, leftOverlay, rightMarks, onStageSize }: { box: Size | undefined; left: Picture | undefined; right: Picture | undefined; leftLabel: string; rightLabel: string; rightStatus?: React.ReactNode; rightBlocked?: React.ReactNode; leftOverlay?: React.ReactNode; rightMarks?: AfterMarks | undefined; onStageSize: (size: Size) => void }) {
  return (
    <div className="vside">
      <Stage
        box={box}
        label={leftLabel}
        testId={`stage-${leftLabel.toLowerCase().replace(/\W+/g, '-')}`}
        onSize={onStageSize}
        overlay={
          <>
            <Chip side="left">{leftLabel}</Chip>
            {leftOverlay}
          </>
        }
      >
        {(rect) => (left ? <PictureLayer picture={left} box={rect} pixelated={rect.scale >= 3} /> : null)}
      </Stage>
      <Stage
        box={box}
        label={rightLabel}
        testId={`stage-${rightLabel.toLowerCase().replace(/\W+/g, '-')}`}
        overlay={
          <>
            <Chip side="left">{rightLabel}</Chip>
            {rightStatus}
            {rightBlocked}
          </>
        }
      >
        {(rect) => (
          <>
            {right ? <PictureLayer picture={right} box={rect} pixelated={rect.scale >= 3} /> : null}
            {right && rightMarks ? <WatermarkLayer rect={rect} marks={rightMarks.marks} current={rightMarks.current} /> : null}
          </>
        )}
      </Stage>
    </div>
  )
}
