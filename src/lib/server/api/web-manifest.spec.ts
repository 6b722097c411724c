import { describe, expect, it } from 'vitest';
import { webManifest } from './web-manifest';

describe('the web app manifest', () => {
	it('names the installed app after the store, with a stable id', () => {
		const manifest = webManifest('Demo Coffee Bar');
		expect(manifest).toMatchObject({ id: '/', name: 'Demo Coffee Bar', start_url: '/' });
		expect(manifest.short_name.length).toBeLessThanOrEqual(12);
		expect(manifest.short_name).toBe('Demo Coffee…');
	});

	it('keeps a short store name whole', () => {
		expect(webManifest('Kiosk 4').short_name).toBe('Kiosk 4');
	});

	it('has 192 and 512 PNG icons, a maskable one, and wide and narrow screenshots', () => {
		const manifest = webManifest('Shop');
		const png = manifest.icons.filter((i) => i.type === 'image/png');
		expect(png.map((i) => `${i.sizes} ${i.purpose}`)).toEqual([
			'192x192 any',
			'512x512 any',
			'512x512 maskable'
		]);
		expect(manifest.screenshots.map((s) => s.form_factor)).toEqual(['wide', 'narrow']);
	});
});
