import type { SeededRandom } from './random';

// Made-up people for the sandbox. Every address is under example.com/.org/.net (reserved for
// documentation, RFC 2606), so no generated value is anyone's real data.

const FIRST = [
  'Anna',
  'Lukas',
  'Sofia',
  'Mateo',
  'Emma',
  'Noah',
  'Mia',
  'Elias',
  'Lea',
  'Jonas',
  'Clara',
  'Finn',
  'Ines',
  'Hugo',
  'Marta',
  'Oskar',
  'Nora',
  'Pablo',
  'Zoe',
  'Karl',
  'Aino',
  'Tomasz',
  'Chiara',
  'Sven',
];
const LAST = ['Muster', 'Beispiel', 'Probe', 'Dupont', 'Rossi', 'Nowak', 'Jansen', 'Silva', 'Lind', 'Horvat', 'Novak', 'Meyer', 'Garcia', 'Moreau', 'Virtanen', 'Kowalski', 'Andersen', 'Costa'];
const DOMAINS = ['example.com', 'example.org', 'example.net'];
const ORGS = ['Acme GmbH', 'Beispiel AG', 'Nordlicht Oy', 'Sol y Mar SL', 'Tulip BV', 'Vltava s.r.o.', ''];
const CITIES: [string, string][] = [
  ['Berlin', 'DE'],
  ['Paris', 'FR'],
  ['Madrid', 'ES'],
  ['Rome', 'IT'],
  ['Warsaw', 'PL'],
  ['Helsinki', 'FI'],
  ['Utrecht', 'NL'],
  ['Vienna', 'AT'],
];
const TITLES = ['Data Protection Officer', 'Marketing Manager', 'Engineer', 'Student', 'Consultant', 'Teacher', ''];

export interface Person {
  first_name: string;
  last_name: string;
  email: string;
  org: string;
  job_title: string;
  city: string;
  country: string;
  phone: string;
}

/** The n-th person of a generated population; `n` makes every address unique. */
export function makePerson(random: SeededRandom, n: number): Person {
  const first = random.pick(FIRST);
  const last = random.pick(LAST);
  const [city, country] = random.pick(CITIES);
  return {
    first_name: first,
    last_name: last,
    email: `${first}.${last}.${n}@${random.pick(DOMAINS)}`.toLowerCase(),
    org: random.pick(ORGS),
    job_title: random.pick(TITLES),
    city,
    country,
    phone: `+49 30 ${String(1000000 + random.int(8999999))}`,
  };
}
