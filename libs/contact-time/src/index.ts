/**
 * When a callee may be contacted: contact hours per weekday in a configuration's zone, blackout
 * dates, hours local to the callee in each zone their number may be in (libphonenumber), as
 * sorted UTC intervals. Pure functions; no framework, no I/O beyond reading the zone table once.
 *
 *   const phone = parsePhoneNumber('+1 907 555 0123');          // { ok, value } or { ok: false, reason }
 *   const permitted = computePermittedIntervals({
 *     windows: [{ start, end }],                                  // when the caller wants the contact
 *     policy: { timeZone, contactHours, blackoutDates, calleeLocalHours }, // the sender's rules
 *     calleeTimeZones: resolveCalleeTimeZones(phone.value),       // ['America/Adak', 'America/Anchorage']
 *     now,
 *   });
 *   permitted.ok ? nextPermittedInstant(permitted.intervals, now) : permitted.message;
 *
 * Quiet hours for messages are the same question: contact hours of every day, the callee rule as
 * the quiet-hours boundary, and a window from now to the message's deadline.
 */
export * from './contact-window';
export * from './phone';
