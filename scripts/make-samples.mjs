#!/usr/bin/env node
/**
 * Generates the sample images shipped in resources/samples/ (seeded into the sandbox's demo
 * bucket). Everything is drawn here — SVG rendered by sharp/librsvg, text set with the bundled
 * Noto Sans SC — so the images are the project's own work, free of third-party rights, and the
 * output is deterministic for a given sharp build (seeded PRNG, no clock, no system fonts).
 *
 *   node scripts/make-samples.mjs            # (re)writes resources/samples/*
 *
 * The outputs are committed as sources; rerun only to change them. Budget: each < 400 KB,
 * all together < 1.5 MB (checked at the end).
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { prng } from './prng.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(ROOT, 'resources', 'samples')
const require = createRequire(import.meta.url)
const BOLD_FONT = require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf')

const svg = (width, height, body) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`)
const r1 = (n) => Math.round(n * 10) / 10

// ---- landscape.jpg: 1200×800 sunset over mountains and a lake ------------------------------

function landscape() {
  const W = 1200
  const H = 800
  const horizon = 520
  const rand = prng(7)
  const ridge = (base, amp, seed, step) => {
    const r = prng(seed)
    let d = `M0 ${horizon} L0 ${base}`
    for (let x = 0; x <= W; x += step) d += ` L${x} ${r1(base - amp * (0.35 + 0.65 * Math.abs(Math.sin(x / 170 + seed)) * (0.6 + 0.4 * r())))}`
    return `${d} L${W} ${horizon} Z`
  }
  const birds = Array.from({ length: 7 }, (_, i) => {
    const x = 700 + i * 38 + rand() * 20
    const y = 170 + Math.sin(i * 1.3) * 30 + rand() * 10
    const s = 7 + rand() * 5
    return `<path d="M${r1(x - s)} ${r1(y)} Q${r1(x - s / 2)} ${r1(y - s / 1.6)} ${r1(x)} ${r1(y)} Q${r1(x + s / 2)} ${r1(y - s / 1.6)} ${r1(x + s)} ${r1(y)}" fill="none" stroke="#2a1533" stroke-width="2.2" stroke-linecap="round"/>`
  }).join('')
  const scene = `
    <defs>
      <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stop-color="#1d2b64"/><stop offset="0.45" stop-color="#8e3b76"/>
        <stop offset="0.75" stop-color="#f3825f"/><stop offset="1" stop-color="#ffd27a"/>
      </linearGradient>
      <radialGradient id="glow" cx="0.5" cy="0.5" r="0.5">
        <stop offset="0" stop-color="#fff6d5" stop-opacity="1"/><stop offset="0.25" stop-color="#ffe08a" stop-opacity="0.9"/>
        <stop offset="1" stop-color="#ff9a5a" stop-opacity="0"/>
      </radialGradient>
      <linearGradient id="far" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#6b4a8a"/><stop offset="1" stop-color="#a8668f"/></linearGradient>
      <linearGradient id="mid" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3f2f66"/><stop offset="1" stop-color="#6a3f73"/></linearGradient>
      <linearGradient id="near" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#1f1838"/><stop offset="1" stop-color="#2e1f45"/></linearGradient>
      <linearGradient id="water" x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stop-color="#f0a070"/><stop offset="0.4" stop-color="#9a4f7c"/><stop offset="1" stop-color="#1c2350"/>
      </linearGradient>
      <filter id="soft"><feGaussianBlur stdDeviation="2.5"/></filter>
    </defs>
    <rect width="${W}" height="${horizon}" fill="url(#sky)"/>
    <circle cx="430" cy="300" r="280" fill="url(#glow)"/>
    <circle cx="430" cy="300" r="58" fill="#fff1c4"/>
    <path d="${ridge(360, 150, 1, 40)}" fill="url(#far)"/>
    <path d="${ridge(420, 140, 2, 30)}" fill="url(#mid)"/>
    <path d="${ridge(480, 110, 3, 24)}" fill="url(#near)"/>
    ${birds}
    <rect y="${horizon}" width="${W}" height="${H - horizon}" fill="url(#water)"/>
    <g filter="url(#soft)" opacity="0.55">
      <ellipse cx="430" cy="${horizon + 40}" rx="70" ry="14" fill="#fff1c4"/>
      <ellipse cx="430" cy="${horizon + 85}" rx="110" ry="9" fill="#ffd9a0"/>
      <ellipse cx="430" cy="${horizon + 130}" rx="150" ry="7" fill="#ffc58a"/>
      <ellipse cx="430" cy="${horizon + 185}" rx="190" ry="6" fill="#f3a070"/>
    </g>
    ${Array.from({ length: 26 }, (_, i) => `<rect x="${r1(rand() * W)}" y="${r1(horizon + 12 + i * 10)}" width="${r1(40 + rand() * 160)}" height="2" fill="#ffe3b0" opacity="${r1(0.15 + rand() * 0.3)}"/>`).join('')}
  `
  return sharp(svg(W, H, scene)).jpeg({ quality: 84, mozjpeg: true }).toBuffer()
}

// ---- portrait.jpg: 800×1200 balloons, stored sideways with EXIF Orientation 6 ----------------

function portrait() {
  const W = 800
  const H = 1200
  const rand = prng(42)
  const balloon = (cx, cy, s, colors) => {
    const stripes = colors
      .map((c, i) => {
        const x0 = -60 + (120 / colors.length) * i
        const x1 = x0 + 120 / colors.length
        return `<path d="M${x0} -80 L${x1} -80 L${x1} 60 L${x0} 60 Z" fill="${c}"/>`
      })
      .join('')
    return `
      <g transform="translate(${cx} ${cy}) scale(${s})">
        <clipPath id="env${cx}"><path d="M0 -80 C55 -80 70 -35 62 -5 C55 22 22 44 12 62 L-12 62 C-22 44 -55 22 -62 -5 C-70 -35 -55 -80 0 -80 Z"/></clipPath>
        <g clip-path="url(#env${cx})">${stripes}<ellipse cx="-22" cy="-40" rx="14" ry="26" fill="#ffffff" opacity="0.25"/></g>
        <path d="M-11 62 L-8 86 M11 62 L8 86" stroke="#5b4636" stroke-width="1.6"/>
        <rect x="-10" y="86" width="20" height="15" rx="3" fill="#8a5a34"/>
      </g>`
  }
  const clouds = Array.from({ length: 9 }, () => {
    const x = rand() * W
    const y = 120 + rand() * 700
    const w = 90 + rand() * 140
    return `<g opacity="${r1(0.55 + rand() * 0.35)}"><ellipse cx="${r1(x)}" cy="${r1(y)}" rx="${r1(w)}" ry="${r1(w * 0.28)}" fill="#ffffff"/><ellipse cx="${r1(x - w * 0.3)}" cy="${r1(y - w * 0.14)}" rx="${r1(w * 0.45)}" ry="${r1(w * 0.3)}" fill="#ffffff"/><ellipse cx="${r1(x + w * 0.25)}" cy="${r1(y - w * 0.18)}" rx="${r1(w * 0.4)}" ry="${r1(w * 0.32)}" fill="#ffffff"/></g>`
  }).join('')
  const scene = `
    <defs>
      <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stop-color="#4aa3df"/><stop offset="0.6" stop-color="#9fd3f0"/><stop offset="1" stop-color="#fde4c6"/>
      </linearGradient>
      <linearGradient id="hill1" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#7fb26a"/><stop offset="1" stop-color="#4f8a47"/></linearGradient>
      <linearGradient id="hill2" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#4f8a47"/><stop offset="1" stop-color="#2f5e33"/></linearGradient>
      <filter id="blur"><feGaussianBlur stdDeviation="6"/></filter>
    </defs>
    <rect width="${W}" height="${H}" fill="url(#sky)"/>
    <g filter="url(#blur)">${clouds}</g>
    ${balloon(250, 330, 2.3, ['#e63946', '#f1c453', '#e63946', '#f1c453', '#e63946', '#f1c453'])}
    ${balloon(590, 560, 1.5, ['#3a86ff', '#ffffff', '#3a86ff', '#ffffff', '#3a86ff'])}
    ${balloon(420, 760, 0.9, ['#8338ec', '#ff006e', '#fb5607', '#ffbe0b'])}
    ${balloon(160, 860, 0.6, ['#06d6a0', '#118ab2', '#06d6a0', '#118ab2'])}
    <path d="M0 1010 C160 960 320 990 460 1000 C600 1010 700 970 800 980 L800 1200 L0 1200 Z" fill="url(#hill1)"/>
    <path d="M0 1090 C200 1050 360 1100 520 1080 C640 1065 720 1080 800 1070 L800 1200 L0 1200 Z" fill="url(#hill2)"/>
    ${Array.from({ length: 14 }, (_, i) => {
      const x = 30 + i * 56 + rand() * 20
      const y = 1100 + rand() * 60
      return `<path d="M${r1(x)} ${r1(y)} l-14 34 h28 Z" fill="#1f4526"/><rect x="${r1(x - 2)}" y="${r1(y + 34)}" width="4" height="8" fill="#3b2a1a"/>`
    }).join('')}
  `
  // Orientation 6 = "rotate 90° clockwise to display": store the picture turned 90° counter-clockwise.
  return sharp(svg(W, H, scene))
    .rotate(270)
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 82, mozjpeg: true })
    .toBuffer()
}

// ---- logo.png: 480×160 badge with transparency, for watermarks --------------------------------

async function logo() {
  const W = 480
  const H = 160
  const badge = `
    <defs>
      <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#ff7a18"/><stop offset="1" stop-color="#e8175d"/></linearGradient>
      <filter id="shadow" x="-10%" y="-10%" width="120%" height="140%"><feGaussianBlur stdDeviation="5"/></filter>
    </defs>
    <rect x="10" y="14" width="${W - 20}" height="${H - 24}" rx="34" fill="#000000" opacity="0.35" filter="url(#shadow)"/>
    <rect x="8" y="8" width="${W - 16}" height="${H - 24}" rx="34" fill="url(#bg)" opacity="0.92"/>
    <g transform="translate(76 76)">
      <circle r="46" fill="none" stroke="#ffffff" stroke-width="7"/>
      <circle cx="14" cy="-14" r="9" fill="#ffffff"/>
      <path d="M-34 26 L-10 -6 L6 12 L16 2 L36 26 Z" fill="#ffffff"/>
    </g>
  `
  const text = await sharp({
    text: { text: '<span foreground="#ffffff">OSS IMG</span>', fontfile: BOLD_FONT, font: 'Noto Sans SC Bold', rgba: true, dpi: 250 }
  })
    .png()
    .toBuffer()
  const meta = await sharp(text).metadata()
  const top = Math.round(8 + (H - 24 - (meta.height ?? 0)) / 2)
  return sharp(svg(W, H, badge))
    .composite([{ input: text, left: 150, top }])
    .png({ compressionLevel: 9 })
    .toBuffer()
}

// ---- animated.gif: 320×240, a bouncing ball, 20 frames ------------------------------------------

async function animated() {
  const W = 320
  const H = 240
  const N = 20
  const frames = []
  for (let i = 0; i < N; i++) {
    const t = i / N
    const bounce = Math.abs(Math.sin(Math.PI * t))
    const ground = 200
    const radius = 26
    const y = ground - radius - bounce * 130
    const squash = bounce < 0.12 ? 1 + (0.12 - bounce) * 2.2 : 1
    const x = 60 + 200 * t
    const shadow = 0.15 + 0.35 * (1 - bounce)
    const hue = Math.round(360 * t)
    frames.push(
      await sharp(
        svg(
          W,
          H,
          `
          <defs>
            <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#141e30"/><stop offset="1" stop-color="#243b55"/></linearGradient>
            <radialGradient id="ball" cx="0.35" cy="0.35" r="0.7"><stop offset="0" stop-color="#ffffff"/><stop offset="0.25" stop-color="hsl(${hue},85%,65%)"/><stop offset="1" stop-color="hsl(${hue},80%,32%)"/></radialGradient>
          </defs>
          <rect width="${W}" height="${H}" fill="url(#bg)"/>
          <rect y="${ground}" width="${W}" height="${H - ground}" fill="#0e1522"/>
          <line x1="0" y1="${ground}" x2="${W}" y2="${ground}" stroke="#3d5a80" stroke-width="2"/>
          <ellipse cx="${r1(x)}" cy="${ground + 4}" rx="${r1(radius * (1.4 - bounce * 0.6))}" ry="5" fill="#000000" opacity="${r1(shadow)}"/>
          <ellipse cx="${r1(x)}" cy="${r1(y + (radius - radius / squash))}" rx="${r1(radius * squash)}" ry="${r1(radius / squash)}" fill="url(#ball)"/>
        `
        )
      )
        .png()
        .toBuffer()
    )
  }
  return sharp(frames, { join: { animated: true } })
    .gif({ delay: Array(N).fill(60), loop: 0, effort: 7 })
    .toBuffer()
}

// ---- large.jpg: 2400×1600 city skyline at night ------------------------------------------------

function large() {
  const W = 2400
  const H = 1600
  const water = 1240
  const rand = prng(2024)
  const stars = Array.from({ length: 180 }, () => `<circle cx="${r1(rand() * W)}" cy="${r1(rand() * 700)}" r="${r1(0.8 + rand() * 1.8)}" fill="#ffffff" opacity="${r1(0.3 + rand() * 0.7)}"/>`).join('')
  const layer = (count, minH, maxH, color, lit, seed) => {
    const r = prng(seed)
    let x = -20
    let out = ''
    for (let i = 0; i < count && x < W; i++) {
      const w = 70 + r() * 130
      const h = minH + r() * (maxH - minH)
      const top = water - h
      out += `<rect x="${r1(x)}" y="${r1(top)}" width="${r1(w)}" height="${r1(h)}" fill="${color}"/>`
      if (r() < 0.3) out += `<rect x="${r1(x + w / 2 - 3)}" y="${r1(top - 40)}" width="6" height="40" fill="${color}"/><circle cx="${r1(x + w / 2)}" cy="${r1(top - 42)}" r="4" fill="#ff4d4d"/>`
      if (lit > 0) {
        for (let wy = top + 14; wy < water - 20; wy += 26) {
          for (let wx = x + 10; wx < x + w - 16; wx += 20) {
            if (r() < lit) out += `<rect x="${r1(wx)}" y="${r1(wy)}" width="10" height="14" fill="${r() < 0.8 ? '#ffd36b' : '#bfe3ff'}" opacity="${r1(0.55 + r() * 0.45)}"/>`
          }
        }
      }
      x += w + r() * 18
    }
    return out
  }
  const city = `${layer(40, 200, 520, '#241a3d', 0, 11)}${layer(40, 160, 760, '#15102a', 0.12, 12)}${layer(40, 120, 420, '#0b0818', 0.22, 13)}`
  const scene = `
    <defs>
      <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stop-color="#070b1f"/><stop offset="0.55" stop-color="#23194a"/><stop offset="1" stop-color="#6a2c63"/>
      </linearGradient>
      <radialGradient id="moonglow" cx="0.5" cy="0.5" r="0.5"><stop offset="0" stop-color="#fdf6e3" stop-opacity="0.45"/><stop offset="1" stop-color="#fdf6e3" stop-opacity="0"/></radialGradient>
      <linearGradient id="water" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#2a1a45"/><stop offset="1" stop-color="#05060f"/></linearGradient>
      <filter id="ripple"><feGaussianBlur stdDeviation="3 10"/></filter>
    </defs>
    <rect width="${W}" height="${water}" fill="url(#sky)"/>
    ${stars}
    <circle cx="1880" cy="300" r="260" fill="url(#moonglow)"/>
    <circle cx="1880" cy="300" r="92" fill="#fdf6e3"/>
    <circle cx="1850" cy="280" r="16" fill="#e8dfc8"/><circle cx="1910" cy="330" r="11" fill="#e8dfc8"/><circle cx="1900" cy="262" r="7" fill="#e8dfc8"/>
    ${city}
    <rect y="${water}" width="${W}" height="${H - water}" fill="url(#water)"/>
    <g transform="translate(0 ${2 * water}) scale(1 -1)" opacity="0.35" filter="url(#ripple)">${city}</g>
  `
  return sharp(svg(W, H, scene)).jpeg({ quality: 80, mozjpeg: true }).toBuffer()
}

// ---- write --------------------------------------------------------------------------------------

const SAMPLES = [
  ['landscape.jpg', landscape],
  ['portrait.jpg', portrait],
  ['logo.png', logo],
  ['animated.gif', animated],
  ['large.jpg', large]
]

mkdirSync(OUT, { recursive: true })
let total = 0
for (const [name, make] of SAMPLES) {
  const data = await make()
  writeFileSync(join(OUT, name), data)
  const meta = await sharp(data, { animated: true }).metadata()
  const size = statSync(join(OUT, name)).size
  total += size
  const frames = meta.pages && meta.pages > 1 ? ` ×${meta.pages} frames` : ''
  const orientation = meta.orientation ? ` (EXIF Orientation ${meta.orientation})` : ''
  console.log(`${name.padEnd(14)} ${meta.width}×${meta.pageHeight ?? meta.height}${frames}${orientation}  ${(size / 1024).toFixed(1)} KB`)
  if (size >= 400 * 1024) throw new Error(`${name} is ${size} bytes: over the 400 KB budget`)
}
console.log(`total          ${(total / 1024).toFixed(1)} KB`)
if (total >= 1.5 * 1024 * 1024) throw new Error(`samples total ${total} bytes: over the 1.5 MB budget`)
