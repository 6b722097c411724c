/** Who makes a back-office change, for the audit log. */
export interface Actor {
	deviceId: string | null;
	staffId: string;
	name: string;
}
