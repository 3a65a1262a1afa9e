/** The nine anchor positions shared by crop and watermark. */
export const GRAVITIES = ['nw', 'north', 'ne', 'west', 'center', 'east', 'sw', 'south', 'se'] as const
export type Gravity = (typeof GRAVITIES)[number]
