// Reads an iCalendar body from stdin with Mozilla's ical.js (the parser of Thunderbird's
// calendar) and prints, as JSON, what it read: each VEVENT's UID, summary, status, and its
// start and end as UTC instants (or local dates for whole days), its zones resolved from the
// calendar's own VTIMEZONEs. A parse error exits non-zero with the reason on stderr.
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf-8");

function moment(time) {
  if (time.isDate) return { date: time.toString() };
  return { utc: time.toUnixTime() };
}

try {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
  }
  const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      summary: event.summary,
      status: vevent.getFirstPropertyValue("status"),
      start: moment(event.startDate),
      end: moment(event.endDate),
      tzid: event.startDate.isDate ? null : event.startDate.zone.tzid,
    };
  });
  process.stdout.write(
    JSON.stringify({ method: calendar.getFirstPropertyValue("method"), events }),
  );
} catch (error) {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
}
