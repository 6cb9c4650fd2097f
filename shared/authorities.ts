// The supervisory authorities a data subject may complain to (Art 77): the EU/EEA national
// authorities, the German state authorities (which supervise private companies in their state),
// and the UK's ICO, each as a letter names it, with its postal address. The first run and Settings
// offer them as a pick list; free text stays possible (another authority, or an address changed
// since this list was made: check the authority's own site before the first letter goes out).

export interface Authority {
  id: string;
  /** Where it is: a country, or a German state. */
  where: string;
  name: string;
  address: string;
}

export const AUTHORITIES: readonly Authority[] = [
  { id: 'at', where: 'Austria', name: 'Österreichische Datenschutzbehörde', address: 'Barichgasse 40-42, 1030 Wien, Austria' },
  { id: 'be', where: 'Belgium', name: 'Autorité de protection des données / Gegevensbeschermingsautoriteit', address: 'Rue de la Presse 35, 1000 Bruxelles, Belgium' },
  { id: 'bg', where: 'Bulgaria', name: 'Commission for Personal Data Protection', address: '2 Prof. Tsvetan Lazarov Blvd., 1592 Sofia, Bulgaria' },
  { id: 'hr', where: 'Croatia', name: 'Agencija za zaštitu osobnih podataka', address: 'Selska cesta 136, 10000 Zagreb, Croatia' },
  { id: 'cy', where: 'Cyprus', name: 'Commissioner for Personal Data Protection', address: 'Iasonos 1, 1082 Nicosia, Cyprus' },
  { id: 'cz', where: 'Czechia', name: 'Úřad pro ochranu osobních údajů', address: 'Pplk. Sochora 27, 170 00 Praha 7, Czechia' },
  { id: 'dk', where: 'Denmark', name: 'Datatilsynet', address: 'Carl Jacobsens Vej 35, 2500 Valby, Denmark' },
  { id: 'ee', where: 'Estonia', name: 'Andmekaitse Inspektsioon', address: 'Tatari 39, 10134 Tallinn, Estonia' },
  { id: 'fi', where: 'Finland', name: 'Tietosuojavaltuutetun toimisto', address: 'Lintulahdenkuja 4, 00530 Helsinki, Finland' },
  { id: 'fr', where: 'France', name: 'Commission Nationale de l’Informatique et des Libertés (CNIL)', address: '3 Place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, France' },
  { id: 'de', where: 'Germany (federal)', name: 'Die Bundesbeauftragte für den Datenschutz und die Informationsfreiheit', address: 'Graurheindorfer Straße 153, 53117 Bonn, Germany' },
  {
    id: 'de-bw',
    where: 'Germany: Baden-Württemberg',
    name: 'Der Landesbeauftragte für den Datenschutz und die Informationsfreiheit Baden-Württemberg',
    address: 'Lautenschlagerstraße 20, 70173 Stuttgart, Germany',
  },
  { id: 'de-by', where: 'Germany: Bayern (private sector)', name: 'Bayerisches Landesamt für Datenschutzaufsicht', address: 'Promenade 18, 91522 Ansbach, Germany' },
  { id: 'de-be', where: 'Germany: Berlin', name: 'Berliner Beauftragte für Datenschutz und Informationsfreiheit', address: 'Alt-Moabit 59-61, 10555 Berlin, Germany' },
  {
    id: 'de-bb',
    where: 'Germany: Brandenburg',
    name: 'Die Landesbeauftragte für den Datenschutz und für das Recht auf Akteneinsicht Brandenburg',
    address: 'Stahnsdorfer Damm 77, 14532 Kleinmachnow, Germany',
  },
  { id: 'de-hb', where: 'Germany: Bremen', name: 'Die Landesbeauftragte für Datenschutz und Informationsfreiheit der Freien Hansestadt Bremen', address: 'Arndtstraße 1, 27570 Bremerhaven, Germany' },
  { id: 'de-hh', where: 'Germany: Hamburg', name: 'Der Hamburgische Beauftragte für Datenschutz und Informationsfreiheit', address: 'Ludwig-Erhard-Straße 22, 20459 Hamburg, Germany' },
  { id: 'de-he', where: 'Germany: Hessen', name: 'Der Hessische Beauftragte für Datenschutz und Informationsfreiheit', address: 'Gustav-Stresemann-Ring 1, 65189 Wiesbaden, Germany' },
  {
    id: 'de-mv',
    where: 'Germany: Mecklenburg-Vorpommern',
    name: 'Der Landesbeauftragte für Datenschutz und Informationsfreiheit Mecklenburg-Vorpommern',
    address: 'Werderstraße 74a, 19055 Schwerin, Germany',
  },
  { id: 'de-ni', where: 'Germany: Niedersachsen', name: 'Der Landesbeauftragte für den Datenschutz Niedersachsen', address: 'Prinzenstraße 5, 30159 Hannover, Germany' },
  {
    id: 'de-nw',
    where: 'Germany: Nordrhein-Westfalen',
    name: 'Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen',
    address: 'Kavalleriestraße 2-4, 40213 Düsseldorf, Germany',
  },
  {
    id: 'de-rp',
    where: 'Germany: Rheinland-Pfalz',
    name: 'Der Landesbeauftragte für den Datenschutz und die Informationsfreiheit Rheinland-Pfalz',
    address: 'Hintere Bleiche 34, 55116 Mainz, Germany',
  },
  { id: 'de-sl', where: 'Germany: Saarland', name: 'Unabhängiges Datenschutzzentrum Saarland', address: 'Fritz-Dobisch-Straße 12, 66111 Saarbrücken, Germany' },
  { id: 'de-sn', where: 'Germany: Sachsen', name: 'Die Sächsische Datenschutz- und Transparenzbeauftragte', address: 'Devrientstraße 5, 01067 Dresden, Germany' },
  { id: 'de-st', where: 'Germany: Sachsen-Anhalt', name: 'Der Landesbeauftragte für den Datenschutz Sachsen-Anhalt', address: 'Leiterstraße 9, 39104 Magdeburg, Germany' },
  { id: 'de-sh', where: 'Germany: Schleswig-Holstein', name: 'Unabhängiges Landeszentrum für Datenschutz Schleswig-Holstein', address: 'Holstenstraße 98, 24103 Kiel, Germany' },
  { id: 'de-th', where: 'Germany: Thüringen', name: 'Der Thüringer Landesbeauftragte für den Datenschutz und die Informationsfreiheit', address: 'Häßlerstraße 8, 99096 Erfurt, Germany' },
  { id: 'gr', where: 'Greece', name: 'Hellenic Data Protection Authority', address: 'Kifisias 1-3, 115 23 Athens, Greece' },
  { id: 'hu', where: 'Hungary', name: 'Nemzeti Adatvédelmi és Információszabadság Hatóság', address: 'Falk Miksa utca 9-11, 1055 Budapest, Hungary' },
  { id: 'is', where: 'Iceland', name: 'Persónuvernd', address: 'Laugavegur 166, 105 Reykjavík, Iceland' },
  { id: 'ie', where: 'Ireland', name: 'Data Protection Commission', address: '21 Fitzwilliam Square South, Dublin 2, D02 RD28, Ireland' },
  { id: 'it', where: 'Italy', name: 'Garante per la protezione dei dati personali', address: 'Piazza Venezia 11, 00187 Roma, Italy' },
  { id: 'lv', where: 'Latvia', name: 'Datu valsts inspekcija', address: 'Elijas iela 17, Rīga, LV-1050, Latvia' },
  { id: 'li', where: 'Liechtenstein', name: 'Datenschutzstelle Liechtenstein', address: 'Städtle 38, 9490 Vaduz, Liechtenstein' },
  { id: 'lt', where: 'Lithuania', name: 'Valstybinė duomenų apsaugos inspekcija', address: 'L. Sapiegos g. 17, 10312 Vilnius, Lithuania' },
  { id: 'lu', where: 'Luxembourg', name: 'Commission nationale pour la protection des données', address: '15, Boulevard du Jazz, 4370 Belvaux, Luxembourg' },
  { id: 'mt', where: 'Malta', name: 'Information and Data Protection Commissioner', address: 'Floor 2, Airways House, Triq Il-Kbira, Tas-Sliema SLM 1549, Malta' },
  { id: 'nl', where: 'Netherlands', name: 'Autoriteit Persoonsgegevens', address: 'Bezuidenhoutseweg 30, 2594 AV Den Haag, Netherlands' },
  { id: 'no', where: 'Norway', name: 'Datatilsynet', address: 'Postboks 458 Sentrum, 0105 Oslo, Norway' },
  { id: 'pl', where: 'Poland', name: 'Urząd Ochrony Danych Osobowych', address: 'ul. Stawki 2, 00-193 Warszawa, Poland' },
  { id: 'pt', where: 'Portugal', name: 'Comissão Nacional de Proteção de Dados', address: 'Av. D. Carlos I, 134, 1.º, 1200-651 Lisboa, Portugal' },
  {
    id: 'ro',
    where: 'Romania',
    name: 'Autoritatea Naţională de Supraveghere a Prelucrării Datelor cu Caracter Personal',
    address: 'B-dul G-ral. Gheorghe Magheru 28-30, Sector 1, 010336 București, Romania',
  },
  { id: 'sk', where: 'Slovakia', name: 'Úrad na ochranu osobných údajov Slovenskej republiky', address: 'Hraničná 12, 820 07 Bratislava 27, Slovakia' },
  { id: 'si', where: 'Slovenia', name: 'Informacijski pooblaščenec', address: 'Dunajska cesta 22, 1000 Ljubljana, Slovenia' },
  { id: 'es', where: 'Spain', name: 'Agencia Española de Protección de Datos', address: 'C/ Jorge Juan, 6, 28001 Madrid, Spain' },
  { id: 'se', where: 'Sweden', name: 'Integritetsskyddsmyndigheten (IMY)', address: 'Box 8114, 104 20 Stockholm, Sweden' },
  { id: 'uk', where: 'United Kingdom', name: 'Information Commissioner’s Office (ICO)', address: 'Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF, United Kingdom' },
];

/** How a letter names an authority: its name, then its address. */
export function authorityText(authority: Authority): string {
  return `${authority.name}, ${authority.address}`;
}

/** The authority a settings text names, if it is one of the list's as the list writes it. */
export function authorityOf(text: string | null): Authority | null {
  return AUTHORITIES.find((a) => authorityText(a) === text) ?? null;
}
