import type { RenderedText } from './receipt-escpos';

/** Text drawn black on white on a canvas, `widthDots` wide and centred (for CJK on receipts). */
export function canvasText(text: string, widthDots: number): RenderedText | null {
	if (typeof document === 'undefined') return null;
	const height = 32;
	const canvas = document.createElement('canvas');
	canvas.width = widthDots;
	canvas.height = height;
	const context = canvas.getContext('2d');
	if (!context) return null;
	context.fillStyle = '#fff';
	context.fillRect(0, 0, widthDots, height);
	context.fillStyle = '#000';
	context.font = '24px sans-serif';
	context.textAlign = 'center';
	context.textBaseline = 'middle';
	context.fillText(text, widthDots / 2, height / 2, widthDots);
	return { data: context.getImageData(0, 0, widthDots, height), width: widthDots, height };
}
