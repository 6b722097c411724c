export {
	createHaojinSimulator,
	type HaojinFaults,
	type HaojinSimulator,
	type HaojinSimulatorOptions,
	type SimCable,
	type SimRequest,
	type SimTransaction
} from './haojin-simulator';
export { FakeSerialPort, createFakeSerialPort, type FakeSerialOptions } from './fake-serial-port';
