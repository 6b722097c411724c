import { describe, expect, it } from 'vitest';
import type { HaojinResponse } from './envelope';
import { requestError, toOutcome } from './outcome';

const context = { currency: 'HKD', txamtUnit: 'minor' as const };
const response = (respcd: string, extra: Partial<HaojinResponse> = {}): HaojinResponse => ({
	respcd,
	respmsg: '',
	resperr: '',
	encrypted: true,
	...extra
});

describe('requestError: refusals before anything happened', () => {
	it('names the POS-KEY for 4003 and 5001 and says nothing was charged', () => {
		for (const code of ['4003', '5001']) {
			const error = requestError(response(code), 'sale');
			expect(error).toMatchObject({ code: 'auth', mayHaveReachedTerminal: false });
			expect(error?.message).toMatch(/POS-KEY/);
			expect(error?.message).toMatch(/Nothing was charged/);
		}
	});

	it('maps 4004, 4006 and 4007', () => {
		expect(requestError(response('4004'), 'query')?.code).toBe('protocol');
		expect(requestError(response('4006', { resperr: 'amt missing' }), 'sale')?.message).toMatch(
			/amt missing/
		);
		expect(requestError(response('4007'), 'sale')?.message).toMatch(/Log in/);
	});

	it('leaves results alone', () => {
		for (const code of ['6000', '6001', '6002', '4005']) {
			expect(requestError(response(code), 'sale')).toBeUndefined();
		}
	});
});

describe('toOutcome', () => {
	it('approves a paid result (data respcd 0000) with its details', () => {
		const paid = response('6000', {
			data: {
				respcd: '0000',
				syssn: '77',
				txamt: '1010',
				cardscheme: 'VISA',
				cardno: '4761****0119'
			}
		});
		expect(toOutcome(paid, 'sale', context)).toEqual({
			status: 'approved',
			code: '0000',
			reference: '77',
			amount: 1010,
			cardBrand: 'VISA',
			maskedCard: '4761****0119'
		});
		expect(toOutcome(paid, 'sale', { currency: 'HKD', txamtUnit: 'major' }).amount).toBe(101000);
	});

	it('maps 6001 to cancelled and a non-0000 result to declined with its message', () => {
		expect(toOutcome(response('6001'), 'sale', context).status).toBe('cancelled');
		const declined = response('6000', { data: { respcd: '1297', resmsg: 'Card declined' } });
		expect(toOutcome(declined, 'sale', context)).toMatchObject({
			status: 'declined',
			message: 'Card declined'
		});
	});

	it('treats 6002/4005 as a decline for a sale but as unknown for a query', () => {
		const refused = response('6002', { resperr: 'Order not found' });
		expect(toOutcome(refused, 'sale', context).status).toBe('declined');
		expect(toOutcome(refused, 'query', context)).toMatchObject({
			status: 'unknown',
			message: 'Order not found'
		});
	});

	it('never guesses: no data, unreadable data, in-progress codes and unknown respcd are unknown', () => {
		expect(toOutcome(response('6000'), 'sale', context).status).toBe('unknown');
		expect(
			toOutcome(response('6000', { dataProblem: 'data is not JSON' }), 'sale', context).message
		).toMatch(/not JSON/);
		expect(toOutcome(response('6000', { data: { respcd: '1143' } }), 'sale', context).status).toBe(
			'unknown'
		);
		expect(toOutcome(response('9999'), 'sale', context).status).toBe('unknown');
	});
});
