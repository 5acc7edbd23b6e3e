/**
 * When a callee may be contacted: contact hours per weekday in a configuration's zone, blackout
 * dates, hours local to the callee, and the callee's candidate zones from the phone number
 * (libphonenumber). Pure functions on UTC intervals; no framework, no I/O beyond the zone table.
 */
export * from './contact-window';
export * from './phone';
