import { describe, expect, it } from 'vitest';
import { describeVersion, versionLabel } from './app-version';

describe('the app version', () => {
	it('is the release and the build id', () => {
		expect(describeVersion('0.1.0+20261202193000')).toEqual({
			release: '0.1.0',
			build: '20261202193000'
		});
		expect(versionLabel('0.1.0+e2e-next')).toBe('0.1.0 (build e2e-next)');
	});

	it('is shown as it is without a build id', () => {
		expect(versionLabel('1.2.3')).toBe('1.2.3');
	});
});
