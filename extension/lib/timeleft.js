// Time left per category, as the popup shows it: the scarcest first, unlimited ones left out.

/** {category: minutes} -> [{category, minutes}] sorted by minutes left, then by name. */
export function sortTimeLeft(table) {
  return Object.entries(table || {})
    .filter(([, minutes]) => Number.isFinite(minutes) && minutes >= 0)
    .map(([category, minutes]) => ({ category, minutes: Math.floor(minutes) }))
    .sort((a, b) => a.minutes - b.minutes || a.category.localeCompare(b.category));
}

/** Hours and minutes as a message key and its substitutions ("1 h 05 min" / "1 giờ 05 phút"). */
export function describeMinutes(minutes) {
  const total = Math.max(0, Math.floor(minutes));
  if (total === 0) {
    return { key: "time_none_left", subs: [] };
  }
  if (total < 60) {
    return { key: "time_minutes", subs: [String(total)] };
  }
  return { key: "time_hours_minutes", subs: [String(Math.floor(total / 60)), String(total % 60).padStart(2, "0")] };
}

/** The badge text: the least time left, when it is short enough to matter (<= 60 min). */
export function badgeText(table) {
  const [first] = sortTimeLeft(table);
  if (!first || first.minutes > 60) {
    return "";
  }
  return `${first.minutes}'`;
}
