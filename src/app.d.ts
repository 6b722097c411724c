// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Locals {
			staff: { id: string; name: string; role: 'cashier' | 'manager' | 'owner' } | null;
			device: { id: string } | null;
		}
	}
}

export {};
