// The digital-skills tip of the day. The tips themselves are in _locales (tip_1 .. tip_N) so
// they follow the browser language; this picks one per calendar day, the same all day long.

export const TIP_COUNT = 14;

/** The message key of the tip for a local date (injected, so tests can cross midnight). */
export function tipKeyFor(date, count = TIP_COUNT) {
  const day = Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) / 86400000;
  return `tip_${(((day % count) + count) % count) + 1}`;
}
