/** The billing address the form asks for when the terminal's config says so, checked as typed. */
export interface AddressFields {
	country: string;
	city: string;
	address1: string;
	zip: string;
}

export function addressProblems(
	address: AddressFields
): Partial<Record<keyof AddressFields, string>> {
	const problems: Partial<Record<keyof AddressFields, string>> = {};
	if (!address.address1.trim()) problems.address1 = 'Enter the street of the billing address.';
	if (!address.city.trim()) problems.city = 'Enter the city of the billing address.';
	if (!address.zip.trim()) problems.zip = 'Enter the ZIP or postcode.';
	if (!/^[A-Z]{2}$/.test(address.country))
		problems.country = 'The country as two capital letters (US, GB…).';
	return problems;
}
