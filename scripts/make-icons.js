// Draws the POS's app icons and manifest screenshots as PNG files in static/, with Node alone
// (zlib for the PNG's compression): `node scripts/make-icons.js`. The icon is `static/icon.svg`
// redrawn: a terminal with a screen and a keypad on the dark app colour. The screenshots are a
// schematic of the sell screen (catalog tiles, the cart, the Charge button), not a capture.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const DARK = [0x0f, 0x17, 0x2a];
const BLUE = [0x25, 0x63, 0xeb];
const LIGHT = [0xe2, 0xe8, 0xf0];
const PAGE = [0xf8, 0xfa, 0xfc];
const WHITE = [0xff, 0xff, 0xff];
const TILE = [0xdb, 0xe4, 0xee];

/** An RGB canvas; shapes are tested per sample, `samples`² per pixel (anti-aliasing). */
function canvas(width, height, background) {
	const pixels = new Float64Array(width * height * 3);
	for (let i = 0; i < width * height; i++) pixels.set(background, i * 3);
	return { width, height, pixels };
}

/** Paints `inside(x, y)` (in pixel units) with `colour`, `samples`² samples per pixel. */
function paint(c, colour, inside, box, samples = 4) {
	const [x0, y0, x1, y1] = box.map((v) => Math.round(v));
	for (let y = Math.max(0, y0 - 1); y < Math.min(c.height, y1 + 1); y++) {
		for (let x = Math.max(0, x0 - 1); x < Math.min(c.width, x1 + 1); x++) {
			let hits = 0;
			for (let sy = 0; sy < samples; sy++)
				for (let sx = 0; sx < samples; sx++)
					if (inside(x + (sx + 0.5) / samples, y + (sy + 0.5) / samples)) hits++;
			if (hits === 0) continue;
			const a = hits / (samples * samples);
			const at = (y * c.width + x) * 3;
			for (let k = 0; k < 3; k++) c.pixels[at + k] = c.pixels[at + k] * (1 - a) + colour[k] * a;
		}
	}
}

function roundRect(c, colour, x, y, w, h, r, samples) {
	const inside = (px, py) => {
		const dx = Math.max(x + r - px, 0, px - (x + w - r));
		const dy = Math.max(y + r - py, 0, py - (y + h - r));
		return px >= x && px <= x + w && py >= y && py <= y + h && dx * dx + dy * dy <= r * r;
	};
	paint(c, colour, inside, [x, y, x + w, y + h], samples);
}

function circle(c, colour, cx, cy, r) {
	const inside = (px, py) => (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
	paint(c, colour, inside, [cx - r, cy - r, cx + r, cy + r]);
}

/** The icon at `size`; `maskable` fills the square and keeps the drawing in the safe circle. */
function icon(size, { maskable = false } = {}) {
	// Full-bleed (no transparency): launchers round or mask the square themselves.
	const c = canvas(size, size, DARK);
	// Drawn on the SVG's 64-unit grid, shrunk to 70 % for a maskable icon's safe zone.
	const scale = (maskable ? 0.7 : 1) * (size / 64);
	const offset = (size - 64 * scale) / 2;
	const u = (v) => offset + v * scale;
	roundRect(c, BLUE, u(14), u(10), 36 * scale, 44 * scale, 5 * scale);
	roundRect(c, LIGHT, u(19), u(15), 26 * scale, 12 * scale, 2 * scale);
	for (const cy of [35, 45])
		for (const cx of [23, 32, 41]) circle(c, LIGHT, u(cx), u(cy), 3 * scale);
	return c;
}

/** A schematic sell screen: top bar, catalog tiles, the cart with its Charge button. */
function screenshot(width, height) {
	const c = canvas(width, height, PAGE);
	const rect = (colour, x, y, w, h, r = 0) => roundRect(c, colour, x, y, w, h, r, 1);
	const bar = Math.round(height * 0.07);
	rect(DARK, 0, 0, width, bar);
	rect(LIGHT, 24, bar * 0.3, 180, bar * 0.4, 6);
	const wide = width > height;
	const cartW = wide ? Math.round(width * 0.32) : width - 48;
	const cartH = wide ? height - bar - 48 : Math.round(height * 0.3);
	const cartX = wide ? width - cartW - 24 : 24;
	const cartY = wide ? bar + 24 : height - cartH - 24;
	const gridW = wide ? cartX - 48 : width - 48;
	const gridH = wide ? height - bar - 48 : cartY - bar - 48;
	const cols = wide ? 4 : 3;
	const rows = wide ? 4 : 5;
	const gap = 16;
	const tileW = (gridW - gap * (cols - 1)) / cols;
	const tileH = (gridH - gap * (rows - 1)) / rows;
	for (let row = 0; row < rows; row++)
		for (let col = 0; col < cols; col++)
			rect(TILE, 24 + col * (tileW + gap), bar + 24 + row * (tileH + gap), tileW, tileH, 10);
	rect(WHITE, cartX, cartY, cartW, cartH, 12);
	for (let line = 0; line < 4; line++)
		rect(LIGHT, cartX + 20, cartY + 24 + line * 44, cartW - 40, 24, 4);
	rect(BLUE, cartX + 20, cartY + cartH - 84, cartW - 40, 60, 10);
	return c;
}

function crc32(bytes) {
	let crc = -1;
	for (const byte of bytes) {
		crc ^= byte;
		for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return (crc ^ -1) >>> 0;
}

function chunk(type, data) {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'ascii');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
	return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGB PNG (colour type 2), each row with filter 0. */
function png({ width, height, pixels }) {
	const raw = Buffer.alloc((width * 3 + 1) * height);
	for (let y = 0; y < height; y++) {
		const row = y * (width * 3 + 1);
		for (let i = 0; i < width * 3; i++) raw[row + 1 + i] = Math.round(pixels[y * width * 3 + i]);
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(raw, { level: 9 })),
		chunk('IEND', Buffer.alloc(0))
	]);
}

const outputs = {
	'static/icon-192.png': icon(192),
	'static/icon-512.png': icon(512),
	'static/icon-maskable-512.png': icon(512, { maskable: true }),
	'static/apple-touch-icon.png': icon(180, { maskable: true }),
	'static/screenshot-wide.png': screenshot(1280, 720),
	'static/screenshot-narrow.png': screenshot(720, 1280)
};
for (const [path, image] of Object.entries(outputs)) {
	writeFileSync(path, png(image));
	console.log(`${path}: ${image.width}×${image.height}`);
}
