/**
 * Schema migrations, applied in order at start. Append new ones; never edit one that shipped.
 * Every statement is idempotent as well, so a half-applied migration can simply run again.
 *
 * Times are epoch milliseconds (bigint), as on the tablets. Records keep their full JSON in `body`;
 * the other columns are copies of the fields worth querying.
 */
import type { SqlClient } from './sql';

export const MIGRATIONS: readonly (readonly string[])[] = [
	[
		`create table if not exists devices (
			id text primary key,
			number serial unique,
			name text not null,
			token_hash text not null unique,
			created_at bigint not null,
			last_seen_at bigint not null
		)`,
		`create table if not exists orders (
			id text primary key,
			device_id text not null,
			number text not null,
			status text not null,
			total bigint not null,
			currency text not null,
			day text not null,
			created_at bigint not null,
			updated_at bigint not null,
			body jsonb not null
		)`,
		`create index if not exists orders_day_created on orders (day, created_at)`,
		`create index if not exists orders_created on orders (created_at)`,
		`create index if not exists orders_number on orders (number)`,
		`create table if not exists attempts (
			id text primary key,
			device_id text not null,
			order_id text not null,
			merchant_order_no text not null unique,
			state text not null,
			amount bigint not null,
			currency text not null,
			created_at bigint not null,
			updated_at bigint not null,
			body jsonb not null
		)`,
		`create index if not exists attempts_order on attempts (order_id)`,
		`create index if not exists attempts_state on attempts (state)`,
		`create table if not exists tenders (
			id text primary key,
			device_id text not null,
			order_id text not null,
			kind text not null,
			status text not null,
			amount bigint not null,
			created_at bigint not null,
			updated_at bigint not null,
			body jsonb not null
		)`,
		`create index if not exists tenders_order on tenders (order_id)`,
		`create table if not exists journal_events (
			device_id text not null,
			seq bigint not null,
			at bigint not null,
			body jsonb not null,
			primary key (device_id, seq)
		)`,
		`create table if not exists notifications (
			id text primary key,
			source text not null,
			dedupe_key text not null unique,
			received_at bigint not null,
			body jsonb not null
		)`,
		`create table if not exists approvals (
			id text primary key,
			device_id text not null,
			manager_id text not null,
			requested_by text,
			action text not null,
			order_id text,
			created_at bigint not null
		)`,
		`create index if not exists approvals_order on approvals (order_id)`
	],
	// 2: approvals bound to one operation and used once; who signed in on which till.
	[
		`alter table approvals add column if not exists orig_attempt_id text`,
		`alter table approvals add column if not exists orig_merchant_order_no text`,
		`alter table approvals add column if not exists amount bigint`,
		`alter table approvals add column if not exists terminal_id text`,
		`alter table approvals add column if not exists expires_at bigint`,
		`alter table approvals add column if not exists used_by_attempt_id text`,
		`alter table approvals add column if not exists relay_merchant_order_no text`,
		`create index if not exists approvals_device_action on approvals (device_id, action)`,
		`create table if not exists staff_sign_ins (
			device_id text not null,
			staff_id text not null,
			first_at bigint not null,
			last_at bigint not null,
			primary key (device_id, staff_id)
		)`
	],
	// 3: guessing bounded across instances (failure counters), one-time pairing codes, the session
	// secret kept by the store itself, and an audit log.
	[
		`create table if not exists auth_counters (
			key text primary key,
			failures integer not null,
			window_start bigint not null,
			locked_until bigint not null,
			lock_count integer not null
		)`,
		`create table if not exists pairing_codes (
			code_hash text primary key,
			kind text not null,
			issued_by text,
			device_id text,
			created_at bigint not null,
			expires_at bigint,
			used_at bigint
		)`,
		`create table if not exists server_secrets (
			name text primary key,
			value text not null,
			created_at bigint not null
		)`,
		`create table if not exists audit_log (
			id bigserial primary key,
			at bigint not null,
			kind text not null,
			device_id text,
			staff_id text,
			detail jsonb not null
		)`,
		`create index if not exists audit_log_kind_at on audit_log (kind, at)`
	],
	// 4 (sync authority): a record version carries the highest event seq that named it; card
	// tenders the server could not corroborate are marked; refused records are kept aside.
	[
		`alter table orders add column if not exists seq bigint`,
		`alter table attempts add column if not exists seq bigint`,
		`alter table tenders add column if not exists seq bigint`,
		`alter table tenders add column if not exists till_reported boolean not null default false`,
		`alter table tenders add column if not exists day text`,
		`create index if not exists tenders_day on tenders (day) where till_reported`,
		`create table if not exists sync_quarantine (
			device_id text not null,
			entity text not null,
			entity_id text not null,
			reason text not null,
			message text not null,
			day text not null,
			received_at bigint not null,
			raw text not null,
			primary key (device_id, entity, entity_id)
		)`,
		`create index if not exists sync_quarantine_day on sync_quarantine (day)`
	],
	// 5: the quarantine keeps every refusal of a record, not only the last.
	[
		`alter table sync_quarantine drop constraint if exists sync_quarantine_pkey`,
		`alter table sync_quarantine add column if not exists id bigserial`,
		`create index if not exists sync_quarantine_record on sync_quarantine (device_id, entity, entity_id)`
	],
	// 6 (issue 12): IOT Pay sales the server started, one row per merchant order number, written
	// before `create_order` is sent, so no second one is ever sent for that order.
	[
		`create table if not exists iotpay_sales (
			merchant_order_no text primary key,
			device_id text not null,
			terminal_id text not null,
			attempt_id text,
			amount bigint not null,
			tip bigint not null,
			currency text not null,
			state text not null,
			outcome jsonb,
			message text,
			key_fault boolean not null default false,
			request jsonb not null,
			response jsonb,
			created_at bigint not null,
			updated_at bigint not null
		)`
	],
	// 7: CodePay cloud orders the server pushed (issue 10), the changes a till is told of, and the
	// lease that lets one instance of many poll an order.
	[
		`create table if not exists cloud_orders (
			merchant_order_no text primary key,
			device_id text not null,
			terminal_id text not null,
			kind text not null,
			amount bigint not null,
			tip bigint not null,
			currency text not null,
			orig_merchant_order_no text,
			state text not null,
			trans_no text,
			outcome jsonb,
			expires_at bigint not null,
			next_poll_at bigint not null,
			polls integer not null default 0,
			lease_until bigint not null default 0,
			created_at bigint not null,
			updated_at bigint not null
		)`,
		`create index if not exists cloud_orders_open on cloud_orders (next_poll_at)
			where state in ('sending', 'sent', 'unknown')`,
		`create table if not exists cloud_order_events (
			id bigserial primary key,
			device_id text not null,
			merchant_order_no text not null,
			state text not null,
			outcome jsonb,
			at bigint not null
		)`,
		`create index if not exists cloud_order_events_device on cloud_order_events (device_id, id)`
	],
	// 8: hosted checkout (issue 11): a cloud order the customer pays on the gateway's page (a link,
	// a kiosk redirect, later a merchant-hosted card form), its pay_url, and the SHA-256 of the
	// opaque reference its return_url carries (the reference itself is never stored).
	[
		`alter table cloud_orders add column if not exists hosted text`,
		`alter table cloud_orders add column if not exists pay_url text`,
		`alter table cloud_orders add column if not exists return_ref text`,
		`create unique index if not exists cloud_orders_return_ref on cloud_orders (return_ref)
			where return_ref is not null`,
		`create index if not exists cloud_orders_orig on cloud_orders (orig_merchant_order_no)
			where orig_merchant_order_no is not null`
	],
	// 9: The catalog and tax rates in the database (issue 13, back office: catalog). Every row
	// carries the catalog version of its last change, so a till asks for what changed since its
	// version; nothing is deleted, only deactivated, so a change is never missed. A write takes
	// the next version from the one catalog_settings row, whose row lock orders the writers.
	[
		`create table if not exists tax_rates (
			id text primary key,
			name text not null,
			rate_bp integer not null,
			active boolean not null default true,
			version bigint not null,
			updated_at bigint not null
		)`,
		`create table if not exists catalog_settings (
			id integer primary key check (id = 1),
			version bigint not null default 0,
			default_tax_rate_id text,
			seeded_at bigint
		)`,
		`insert into catalog_settings (id) values (1) on conflict (id) do nothing`,
		`create table if not exists catalog_categories (
			id text primary key,
			name text not null,
			color text,
			sort integer not null default 0,
			active boolean not null default true,
			version bigint not null,
			updated_at bigint not null
		)`,
		`create table if not exists catalog_modifier_groups (
			id text primary key,
			name text not null,
			min_choices integer not null,
			max_choices integer not null,
			options jsonb not null,
			active boolean not null default true,
			version bigint not null,
			updated_at bigint not null
		)`,
		`create table if not exists catalog_products (
			id text primary key,
			sku text not null unique,
			name text not null,
			category_id text not null,
			price bigint not null,
			tax_rate_id text,
			tax_inclusive boolean not null,
			barcodes jsonb not null default '[]',
			modifier_group_ids jsonb not null default '[]',
			open_price_min bigint,
			open_price_max bigint,
			image text,
			color text,
			active boolean not null default true,
			version bigint not null,
			updated_at bigint not null
		)`,
		`create index if not exists catalog_products_version on catalog_products (version)`,
		`create index if not exists catalog_categories_version on catalog_categories (version)`,
		`create index if not exists catalog_modifier_groups_version on catalog_modifier_groups (version)`
	],
	// 10 (issue 13, back office: store): the shop's profile (one row; its primary key lets exactly one
	// setup win), staff and terminals kept here instead of in POS_CONFIG, and what the server knows
	// of each till (revoked, app version, what it last said it still had to sync).
	[
		`create table if not exists shop_profile (
			id integer primary key check (id = 1),
			name text not null,
			address text not null default '',
			tax_number text not null default '',
			currency text not null,
			locale text not null,
			time_zone text not null,
			receipt_header text not null default '',
			receipt_footer text not null default '',
			device_prefix text not null default 'POS',
			demo boolean not null default false,
			offline_limits jsonb,
			pairing_code_hash text,
			seeded_from text,
			revision bigint not null default 1,
			created_at bigint not null,
			updated_at bigint not null
		)`,
		`create table if not exists staff (
			id text primary key,
			name text not null,
			role text not null,
			pin_hash text not null,
			active boolean not null default true,
			created_at bigint not null,
			updated_at bigint not null
		)`,
		`create table if not exists shop_terminals (
			id text primary key,
			name text not null,
			rail text not null,
			currency text not null,
			params jsonb not null,
			position integer not null default 0,
			created_at bigint not null,
			updated_at bigint not null
		)`,
		`alter table devices add column if not exists revoked_at bigint`,
		`alter table devices add column if not exists revoked_by text`,
		`alter table devices add column if not exists app_version text`,
		`alter table devices add column if not exists unsynced integer`,
		`alter table devices add column if not exists reported_at bigint`
	]
];

/** An arbitrary constant: several server processes starting at once migrate one at a time. */
const MIGRATION_LOCK = 7_031_942;

export async function migrate(db: SqlClient): Promise<number> {
	return db.transaction(async (tx) => {
		await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
		await tx.query(
			`create table if not exists schema_migrations (
				version integer primary key,
				applied_at bigint not null
			)`
		);
		const rows = await tx.query<{ version: number }>('select version from schema_migrations');
		const done = new Set(rows.map((row) => Number(row.version)));
		let applied = 0;
		for (const [index, statements] of MIGRATIONS.entries()) {
			const version = index + 1;
			if (done.has(version)) continue;
			for (const statement of statements) await tx.query(statement);
			await tx.query('insert into schema_migrations (version, applied_at) values ($1, $2)', [
				version,
				Date.now()
			]);
			applied++;
		}
		return applied;
	});
}
