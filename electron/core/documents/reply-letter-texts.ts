import type { Language } from '../../../shared/settings';
import type { Texts } from './words';

// The reply letter's words, English and German, as a DPO would write them to a data subject.
// {{law}} is an article in the letter's own style; {{webinar}} a webinar or meeting by title, kind and date.

export const LETTER_TEXTS: Record<Language, Texts> = {
  en: {
    subject: 'Your data protection request of {{date}} (our reference {{id}})',
    greeting: 'Dear Sir or Madam,',
    covers: 'This reply covers every email address of yours that your request concerns:',
    closing: 'Yours faithfully,',
    dpo: 'Data Protection Officer',
    to: 'To',
    date: 'Date',
    erasure: {
      done: 'we have erased your personal data from the records of our Zoom webinars and meetings, as you asked ({{law}}).',
      deleted_one: 'Zoom has deleted your registration for the following event, and we checked afterwards that Zoom no longer holds it:',
      deleted_other: 'Zoom has deleted your registrations for the following {{count}} events, and we checked each afterwards to confirm that Zoom no longer holds it:',
      noneOnZoom: 'Zoom held no registration under your address.',
      local:
        'Our own copy of the data has been erased as well. We keep only a one-way code of your address, which cannot be turned back into it, so that your data is not copied back from Zoom and we can show that your request was carried out.',
      residualIntro_one: 'One item remains with Zoom that Zoom does not let us erase ourselves:',
      residualIntro_other: '{{count}} items remain with Zoom that Zoom does not let us erase ourselves:',
      askingZoom: 'Zoom processes this data on our behalf. We are asking Zoom to erase it ({{law}}) and will write to you again when Zoom has answered.',
      zoomAsked: 'Zoom processes this data on our behalf. We asked Zoom on {{date}} to erase it ({{law}}) and will write to you again when Zoom has answered.',
      zoomErased: 'Zoom processes this data on our behalf. We asked Zoom to erase it ({{law}}), and on {{date}} Zoom confirmed that it has done so.',
      zoom_refused:
        'Zoom processes this data on our behalf. We asked Zoom to erase it ({{law}}); on {{date}} Zoom declined. We are pursuing this with Zoom. You may also lodge a complaint with a supervisory authority ({{complaintLaw}}), in particular with the one responsible for us: {{authority}}.',
      zoom_partial:
        'Zoom processes this data on our behalf. We asked Zoom to erase it ({{law}}); on {{date}} Zoom confirmed that it has erased part of it. We are pursuing the rest with Zoom. You may also lodge a complaint with a supervisory authority ({{complaintLaw}}), in particular with the one responsible for us: {{authority}}.',
    },
    residual: {
      blocked: 'your address on the list of addresses that may not register again for {{webinar}}, which a cancelled registration leaves behind',
      registrant: 'a registration for {{webinar}} that Zoom refused to delete',
      participant_one: 'the record of your attendance at {{webinar}}',
      participant_other: '{{count}} records of your attendance at {{webinar}}',
      absentee_one: 'the record that you registered for {{webinar}} but did not attend',
      absentee_other: '{{count}} records that you registered for {{webinar}} but did not attend',
      qa_one: 'the question you asked during {{webinar}}',
      qa_other: 'the {{count}} questions you asked during {{webinar}}',
      poll_one: 'your answer to a poll during {{webinar}}',
      poll_other: 'your {{count}} answers to polls during {{webinar}}',
      survey_one: 'your answer to the survey after {{webinar}}',
      survey_other: 'your {{count}} answers to the survey after {{webinar}}',
      panelist_one: 'your entry as a panelist of {{webinar}}',
      panelist_other: 'your {{count}} entries as a panelist of {{webinar}}',
      other_one: 'one further record about you for {{webinar}}',
      other_other: '{{count}} further records about you for {{webinar}}',
    },
    restriction:
      'we have restricted the processing of your data, as you asked ({{law}}). Your registrations with us on Zoom have been cancelled, and while the restriction lasts we only store your data and use it for nothing else. We will tell you before the restriction is lifted ({{liftLaw}}).',
    objection: 'we have stopped processing your data for our webinars and meetings, as you objected ({{law}}). Your registrations on Zoom have been cancelled.',
    rectification_one:
      'we have corrected your data in our records, as you asked ({{law}}). Please note that Zoom offers no way to change a registration once it is made: the registration Zoom holds still shows the earlier details. If you wish, we can cancel it and you may register again with the correct details.',
    rectification_other:
      'we have corrected your data in our records, as you asked ({{law}}), in {{count}} steps. Please note that Zoom offers no way to change a registration once it is made: the registration Zoom holds still shows the earlier details. If you wish, we can cancel it and you may register again with the correct details.',
    access:
      'as you asked ({{law}}), we enclose a copy of the personal data we hold about you in the records of our Zoom webinars and meetings, together with why we process it, who receives it, how long we keep it and what your rights are. The same data is in the enclosed file subject-data.json, in a machine-readable form.',
    portability:
      'as you asked ({{law}}), we enclose the data you gave us when you registered for our webinars and meetings, in a structured, commonly used and machine-readable format: the file subject-data.json, described by the file subject-data.schema.json.',
    refusal: 'after careful review we cannot act on your request ({{law}}), for the following reason: {{reason}}',
    remedies:
      'You have the right to lodge a complaint with a supervisory authority ({{complaintLaw}}), in particular with the one responsible for us: {{authority}}. You may also seek a judicial remedy before the courts ({{courtLaw}}).',
    extension:
      'we have received your request and are working on it. We need more time than the usual one month ({{law}}), for the following reason: {{reason}}. You will have our reply by {{due}} at the latest.',
    complaint:
      'If you are not satisfied with how we handled your request, you may lodge a complaint with a supervisory authority ({{law}}), in particular with the one responsible for us: {{authority}}.',
    questions: 'If you have any questions, please contact us at {{contact}}, quoting our reference.',
  },
  de: {
    subject: 'Ihre datenschutzrechtliche Anfrage vom {{date}} (unser Zeichen {{id}})',
    greeting: 'Sehr geehrte Damen und Herren,',
    covers: 'Diese Antwort gilt für jede Ihrer E-Mail-Adressen, die Ihre Anfrage betrifft:',
    closing: 'Mit freundlichen Grüßen',
    dpo: 'Datenschutzbeauftragte/r',
    to: 'An',
    date: 'Datum',
    authorityDefault: 'der Datenschutz-Aufsichtsbehörde des EU-Mitgliedstaats Ihres Aufenthaltsorts, Ihres Arbeitsplatzes oder des Orts des mutmaßlichen Verstoßes',
    erasure: {
      done: 'wie von Ihnen verlangt, haben wir Ihre personenbezogenen Daten aus den Unterlagen unserer Zoom-Webinare und -Meetings gelöscht ({{law}}).',
      deleted_one: 'Zoom hat Ihre Anmeldung zu folgender Veranstaltung gelöscht; wir haben anschließend geprüft, dass Zoom sie nicht mehr führt:',
      deleted_other: 'Zoom hat Ihre Anmeldungen zu den folgenden {{count}} Veranstaltungen gelöscht; wir haben anschließend jede einzeln geprüft und bestätigt, dass Zoom sie nicht mehr führt:',
      noneOnZoom: 'Zoom führte keine Anmeldung unter Ihrer Adresse.',
      local:
        'Auch unsere eigene Kopie der Daten ist gelöscht. Wir bewahren nur einen nicht umkehrbaren Code Ihrer Adresse auf, damit Ihre Daten nicht erneut von Zoom übernommen werden und wir die Erledigung Ihres Antrags nachweisen können.',
      residualIntro_one: 'Ein Eintrag liegt weiterhin bei Zoom, den wir über Zoom nicht selbst löschen können:',
      residualIntro_other: '{{count}} Einträge liegen weiterhin bei Zoom, die wir über Zoom nicht selbst löschen können:',
      askingZoom: 'Zoom verarbeitet diese Daten in unserem Auftrag. Wir fordern Zoom zur Löschung auf ({{law}}) und schreiben Ihnen erneut, sobald Zoom geantwortet hat.',
      zoomAsked: 'Zoom verarbeitet diese Daten in unserem Auftrag. Wir haben Zoom am {{date}} zur Löschung aufgefordert ({{law}}) und schreiben Ihnen erneut, sobald Zoom geantwortet hat.',
      zoomErased: 'Zoom verarbeitet diese Daten in unserem Auftrag. Wir haben Zoom zur Löschung aufgefordert ({{law}}); am {{date}} hat Zoom die Löschung bestätigt.',
      zoom_refused:
        'Zoom verarbeitet diese Daten in unserem Auftrag. Wir haben Zoom zur Löschung aufgefordert ({{law}}); am {{date}} hat Zoom dies abgelehnt. Wir verfolgen die Angelegenheit gegenüber Zoom weiter. Sie können sich zudem bei einer Aufsichtsbehörde beschweren ({{complaintLaw}}), insbesondere bei der für uns zuständigen: {{authority}}.',
      zoom_partial:
        'Zoom verarbeitet diese Daten in unserem Auftrag. Wir haben Zoom zur Löschung aufgefordert ({{law}}); am {{date}} hat Zoom die Löschung eines Teils bestätigt. Den Rest verfolgen wir gegenüber Zoom weiter. Sie können sich zudem bei einer Aufsichtsbehörde beschweren ({{complaintLaw}}), insbesondere bei der für uns zuständigen: {{authority}}.',
    },
    residual: {
      blocked: 'Ihre Adresse auf der Liste der Adressen, die sich zu {{webinar}} nicht erneut anmelden können; eine stornierte Anmeldung hinterlässt diesen Eintrag',
      registrant: 'eine Anmeldung zu {{webinar}}, deren Löschung Zoom abgelehnt hat',
      participant_one: 'der Nachweis Ihrer Teilnahme an {{webinar}}',
      participant_other: '{{count}} Nachweise Ihrer Teilnahme an {{webinar}}',
      absentee_one: 'der Vermerk, dass Sie zu {{webinar}} angemeldet waren, aber nicht teilgenommen haben',
      absentee_other: '{{count}} Vermerke, dass Sie zu {{webinar}} angemeldet waren, aber nicht teilgenommen haben',
      qa_one: 'die Frage, die Sie während {{webinar}} gestellt haben',
      qa_other: 'die {{count}} Fragen, die Sie während {{webinar}} gestellt haben',
      poll_one: 'Ihre Antwort auf eine Umfrage während {{webinar}}',
      poll_other: 'Ihre {{count}} Antworten auf Umfragen während {{webinar}}',
      survey_one: 'Ihre Antwort auf die Befragung nach {{webinar}}',
      survey_other: 'Ihre {{count}} Antworten auf die Befragung nach {{webinar}}',
      panelist_one: 'Ihr Eintrag als Diskussionsteilnehmer/in von {{webinar}}',
      panelist_other: 'Ihre {{count}} Einträge als Diskussionsteilnehmer/in von {{webinar}}',
      other_one: 'ein weiterer Eintrag über Sie zu {{webinar}}',
      other_other: '{{count}} weitere Einträge über Sie zu {{webinar}}',
    },
    restriction:
      'wie von Ihnen verlangt, haben wir die Verarbeitung Ihrer Daten eingeschränkt ({{law}}). Ihre Anmeldungen bei Zoom wurden storniert; solange die Einschränkung gilt, speichern wir Ihre Daten nur und nutzen sie für nichts anderes. Bevor wir die Einschränkung aufheben, unterrichten wir Sie ({{liftLaw}}).',
    objection: 'aufgrund Ihres Widerspruchs haben wir die Verarbeitung Ihrer Daten für unsere Webinare und Meetings eingestellt ({{law}}). Ihre Anmeldungen bei Zoom wurden storniert.',
    rectification_one:
      'wie von Ihnen verlangt, haben wir Ihre Daten in unseren Unterlagen berichtigt ({{law}}). Bitte beachten Sie, dass Zoom keine Möglichkeit bietet, eine bestehende Anmeldung zu ändern: Die bei Zoom geführte Anmeldung zeigt weiterhin die früheren Angaben. Auf Wunsch stornieren wir sie, und Sie können sich mit den richtigen Angaben neu anmelden.',
    rectification_other:
      'wie von Ihnen verlangt, haben wir Ihre Daten in unseren Unterlagen in {{count}} Schritten berichtigt ({{law}}). Bitte beachten Sie, dass Zoom keine Möglichkeit bietet, eine bestehende Anmeldung zu ändern: Die bei Zoom geführte Anmeldung zeigt weiterhin die früheren Angaben. Auf Wunsch stornieren wir sie, und Sie können sich mit den richtigen Angaben neu anmelden.',
    access:
      'wie von Ihnen verlangt ({{law}}), erhalten Sie anbei eine Kopie der personenbezogenen Daten, die wir in den Unterlagen unserer Zoom-Webinare und -Meetings über Sie führen, mit Angaben dazu, warum wir sie verarbeiten, wer sie erhält, wie lange wir sie aufbewahren und welche Rechte Sie haben. Dieselben Daten enthält die beigefügte Datei subject-data.json in maschinenlesbarer Form.',
    portability:
      'wie von Ihnen verlangt ({{law}}), erhalten Sie anbei die Daten, die Sie uns bei der Anmeldung zu unseren Webinaren und Meetings gegeben haben, in einem strukturierten, gängigen und maschinenlesbaren Format: die Datei subject-data.json, beschrieben durch die Datei subject-data.schema.json.',
    refusal: 'nach sorgfältiger Prüfung können wir Ihrem Antrag nicht nachkommen ({{law}}), aus folgendem Grund: {{reason}}',
    remedies:
      'Sie haben das Recht, sich bei einer Aufsichtsbehörde zu beschweren ({{complaintLaw}}), insbesondere bei der für uns zuständigen: {{authority}}. Außerdem können Sie einen gerichtlichen Rechtsbehelf einlegen ({{courtLaw}}).',
    extension:
      'wir haben Ihren Antrag erhalten und bearbeiten ihn. Wir benötigen mehr Zeit als die übliche Frist von einem Monat ({{law}}), aus folgendem Grund: {{reason}}. Sie erhalten unsere Antwort spätestens bis zum {{due}}.',
    complaint:
      'Wenn Sie mit der Bearbeitung Ihres Antrags nicht zufrieden sind, können Sie sich bei einer Aufsichtsbehörde beschweren ({{law}}), insbesondere bei der für uns zuständigen: {{authority}}.',
    questions: 'Bei Fragen erreichen Sie uns unter {{contact}}; bitte geben Sie dabei unser Zeichen an.',
  },
};
