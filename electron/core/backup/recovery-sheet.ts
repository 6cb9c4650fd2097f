import { PdfWriter } from '../documents/pdf/typeset';

// The recovery sheet: one page to print and lock away. It says what the key is, when it is
// needed and how to restore, in the DPO's language, with the key itself in one line.

export interface SheetFacts {
  identity: string;
  recipient: string;
  organisation: string | null;
  dataDir: string;
  createdAt: Date;
  lang: 'en' | 'de';
}

const TEXT = {
  en: {
    title: 'DSR Desk: recovery key',
    intro:
      'This sheet holds the key that opens the backups of this DSR Desk and its encrypted store. Print it, sign it, and keep it locked away, apart from the computer and from the backup folder: anyone with this sheet and a backup can read the register of requests.',
    facts: ['Organisation', 'Data folder', 'Made on', 'Public half (recipient)'] as const,
    key: 'The recovery key (secret: type it exactly, including AGE-SECRET-KEY-1)',
    kept: ['Kept by (name, signature)', 'Where it is kept'] as const,
    whenTitle: 'When you need it',
    when: [
      'The computer was lost, stolen or reinstalled, or its keychain was reset: restore the newest backup on another computer.',
      'The data folder was moved or copied and DSR Desk says DATABASE_KEY_MISSING: unlock it with this key.',
      'A colleague takes over the desk on their own computer: restore a backup there.',
    ],
    howTitle: 'How to restore',
    how: [
      'Install DSR Desk on the new computer.',
      'Restore the newest backup from the backup folder into a new data folder: dsr-desk restore --from BACKUP.age --identity-stdin --data-dir NEW-FOLDER (then type or paste the key and press Ctrl+D). Give any erasure ledger found beside the backups with --ledger.',
      'Connect Zoom again (the credentials are never in a backup): dsr-desk connect …, or Settings in the desk.',
      'Check the register: dsr-desk audit verify shows the restore as an entry of its own.',
      "Unlock instead of restoring, when the data folder itself is still there: dsr-desk unlock --identity-stdin (or the desk's Unlock screen).",
    ],
    lost: 'Lost this sheet? As long as the computer works, make a new recovery key in Settings (backups taken before open only with the old one), print the new sheet and take a new backup at once.',
    footer: 'recovery sheet',
    page: (page: number, pages: number) => `Page ${page} of ${pages}`,
  },
  de: {
    title: 'DSR Desk: Wiederherstellungsschlüssel',
    intro:
      'Dieses Blatt enthält den Schlüssel, der die Sicherungen dieses DSR Desk und seinen verschlüsselten Datenbestand öffnet. Drucken Sie es aus, unterschreiben Sie es und verschließen Sie es, getrennt vom Computer und vom Sicherungsordner: Wer dieses Blatt und eine Sicherung hat, kann das Register der Anträge lesen.',
    facts: ['Organisation', 'Datenordner', 'Erstellt am', 'Öffentlicher Teil (Empfänger)'] as const,
    key: 'Der Wiederherstellungsschlüssel (geheim: genau abtippen, samt AGE-SECRET-KEY-1)',
    kept: ['Verwahrt von (Name, Unterschrift)', 'Aufbewahrungsort'] as const,
    whenTitle: 'Wann Sie ihn brauchen',
    when: [
      'Der Computer ging verloren, wurde gestohlen oder neu installiert, oder sein Schlüsselbund wurde zurückgesetzt: Stellen Sie die neueste Sicherung auf einem anderen Computer wieder her.',
      'Der Datenordner wurde verschoben oder kopiert und DSR Desk meldet DATABASE_KEY_MISSING: Entsperren Sie ihn mit diesem Schlüssel.',
      'Eine Kollegin oder ein Kollege übernimmt den Desk auf dem eigenen Computer: Stellen Sie dort eine Sicherung wieder her.',
    ],
    howTitle: 'So stellen Sie wieder her',
    how: [
      'Installieren Sie DSR Desk auf dem neuen Computer.',
      'Stellen Sie die neueste Sicherung aus dem Sicherungsordner in einen neuen Datenordner wieder her: dsr-desk restore --from SICHERUNG.age --identity-stdin --data-dir NEUER-ORDNER (dann den Schlüssel eingeben oder einfügen und Strg+D drücken). Ein Löschprotokoll neben den Sicherungen geben Sie mit --ledger an.',
      'Verbinden Sie Zoom erneut (die Zugangsdaten sind nie in einer Sicherung): dsr-desk connect … oder Einstellungen im Desk.',
      'Prüfen Sie das Register: dsr-desk audit verify zeigt die Wiederherstellung als eigenen Eintrag.',
      'Entsperren statt wiederherstellen, wenn der Datenordner selbst noch da ist: dsr-desk unlock --identity-stdin (oder die Entsperren-Seite des Desk).',
    ],
    lost: 'Blatt verloren? Solange der Computer funktioniert, erstellen Sie in den Einstellungen einen neuen Wiederherstellungsschlüssel (ältere Sicherungen öffnet nur der alte), drucken das neue Blatt und legen sofort eine neue Sicherung an.',
    footer: 'Wiederherstellungsblatt',
    page: (page: number, pages: number) => `Seite ${page} von ${pages}`,
  },
};

export async function recoverySheetPdf(facts: SheetFacts): Promise<{ bytes: Buffer; pages: number }> {
  const text = TEXT[facts.lang];
  const day = facts.createdAt.toISOString().slice(0, 10);
  const pdf = new PdfWriter({ title: text.title, footer: `DSR Desk · ${text.footer} · ${day}`, generatedAt: facts.createdAt, lang: facts.lang, pageLabel: text.page });
  pdf.title(text.title);
  pdf.paragraph(text.intro, { size: 10 });
  pdf.space(6);
  pdf.fields([
    [text.facts[0], facts.organisation ?? '-'],
    [text.facts[1], facts.dataDir],
    [text.facts[2], facts.createdAt.toISOString().replace('T', ' ').slice(0, 16) + ' UTC'],
    [text.facts[3], facts.recipient],
  ]);
  pdf.heading(text.key);
  pdf.paragraph(facts.identity, { size: 10.5, weight: 'bold' });
  pdf.space(8);
  pdf.fields(text.kept.map((label) => [label, '\n\n']));
  pdf.heading(text.whenTitle);
  for (const line of text.when) pdf.paragraph(`• ${line}`, { size: 9.5 });
  pdf.heading(text.howTitle);
  text.how.forEach((line, n) => pdf.paragraph(`${n + 1}. ${line}`, { size: 9.5 }));
  pdf.space(6);
  pdf.paragraph(text.lost, { size: 9.5, color: '#444444' });
  return pdf.finish();
}
