/**
 * A private address on this machine for a test's terminal (NOTES.md §1 "Local Network Access"): a
 * network namespace joined to the host by a veth pair, the host end `10.77.N.1`, the namespace
 * end `10.77.N.2`. Chromium sees the namespace end as a private (LAN) address, as a terminal on a
 * shop's Wi-Fi. Needs root and iproute2 (`apt-get install iproute2`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface PrivateNet {
	/** The host's end: where a POS server "on the shop's LAN" listens. */
	hostIp: string;
	/** The namespace's end: where the terminal listens. */
	peerIp: string;
	/** Runs a command inside the namespace. */
	spawn(command: string, args: string[]): ChildProcess;
	remove(): void;
}

function ip(...args: string[]): { ok: boolean; output: string } {
	const run = spawnSync('ip', args, { encoding: 'utf8' });
	return {
		ok: run.status === 0,
		output: `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ?? ''}`
	};
}

/** Why no namespace can be made here, or null when it can. */
export function privateNetUnavailable(): string | null {
	if (process.platform !== 'linux') return 'network namespaces are Linux only';
	if (process.getuid?.() !== 0) return 'making a network namespace needs root';
	const version = ip('-V');
	if (!version.ok)
		return `iproute2's "ip" is missing (apt-get install iproute2): ${version.output}`;
	return null;
}

/** Makes the namespace and the veth pair; `remove()` undoes both. Throws with `ip`'s words. */
export function createPrivateNet(): PrivateNet {
	const used = ip('-4', '-o', 'addr').output;
	// One subnet per run (two engineers may run this at once), skipping any the host already has.
	let n = (process.pid % 200) + 20;
	while (used.includes(`10.77.${n}.`)) n = n >= 250 ? 20 : n + 1;
	const ns = `poslna${n}`;
	const hostIf = `poslna${n}h`;
	const peerIf = `poslna${n}p`;
	const hostIp = `10.77.${n}.1`;
	const peerIp = `10.77.${n}.2`;
	const remove = () => {
		ip('netns', 'del', ns);
		ip('link', 'del', hostIf);
	};
	remove();
	const steps = [
		['netns', 'add', ns],
		['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', peerIf],
		['link', 'set', peerIf, 'netns', ns],
		['addr', 'add', `${hostIp}/24`, 'dev', hostIf],
		['link', 'set', hostIf, 'up'],
		['-n', ns, 'addr', 'add', `${peerIp}/24`, 'dev', peerIf],
		['-n', ns, 'link', 'set', peerIf, 'up'],
		['-n', ns, 'link', 'set', 'lo', 'up']
	];
	for (const step of steps) {
		const run = ip(...step);
		if (!run.ok) {
			remove();
			throw new Error(`ip ${step.join(' ')}: ${run.output}`);
		}
	}
	return {
		hostIp,
		peerIp,
		spawn: (command, args) =>
			spawn('ip', ['netns', 'exec', ns, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }),
		remove
	};
}
