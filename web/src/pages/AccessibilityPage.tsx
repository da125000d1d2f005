// The accessibility statement (tilgængelighedserklæring): what Pejling meets, how it is checked, what is known
// not to work, and where to turn.
import { Link } from '../components/common';
import type { Lang } from '../i18n';

const TEXT = {
  da: {
    title: 'Tilgængelighedserklæring',
    intro:
      'Pejling er bygget til at overholde WCAG 2.1 på niveau AA, som lov om tilgængelighed af offentlige organers websteder og mobilapplikationer kræver af offentlige myndigheder.',
    howTitle: 'Sådan er siderne kontrolleret',
    how: [
      'Hver side (overblik, indikator, enhedsprofil, mål, målsætning, denne side og siden for ukendte adresser) kontrolleres automatisk med axe-core efter reglerne for WCAG 2.1 A og AA i en rigtig browser, hver gang Pejling testes. Kravet er nul fejl.',
      'Siderne kan bruges med tastatur alene og på en telefons skærmbredde; begge dele testes.',
      'Hvert diagram har en tekst, der beskriver det, og kan vises som en tabel med de samme tal.',
      'Tal skrives med dansk talformat, og siderne findes på dansk og engelsk.',
    ],
    knownTitle: 'Kendte begrænsninger',
    known: [
      'Automatiske kontroller finder ikke alle tilgængelighedsproblemer; fx er rækkefølgen af oplæsning og forståeligheden af tekster ikke testet med brugere.',
      'Kort og diagrammer er billeder: brug "Vis som tabel" for at få tallene oplæst.',
      'Downloadede CSV- og XLSX-filer og PDF-rapporter er ikke kontrolleret efter PDF/UA.',
    ],
    contactTitle: 'Feedback og klage',
    contact:
      'Oplever du problemer med tilgængeligheden, så kontakt den myndighed, der driver denne installation af Pejling. Får du ikke et tilfredsstillende svar, kan du klage til Digitaliseringsstyrelsen, der fører tilsyn med webtilgængelighed.',
    home: 'Til overblikket',
  },
  en: {
    title: 'Accessibility statement',
    intro:
      'Pejling is built to meet WCAG 2.1 level AA, as the Danish act on the accessibility of public bodies’ websites and mobile applications requires of public authorities.',
    howTitle: 'How the pages are checked',
    how: [
      'Every page (overview, indicator, unit profile, goal, target, this page and the page for unknown addresses) is checked automatically with axe-core against the WCAG 2.1 A and AA rules in a real browser whenever Pejling is tested. The requirement is zero violations.',
      'The pages work by keyboard alone and at phone width; both are tested.',
      'Every chart has a text describing it and can be shown as a table with the same numbers.',
      'Numbers use Danish formats, and the pages are in Danish and English.',
    ],
    knownTitle: 'Known limitations',
    known: [
      'Automatic checks do not find every accessibility problem; reading order and plain language have not been tested with users.',
      'Maps and charts are images: use “Show as table” to have the numbers read out.',
      'Downloaded CSV and XLSX files and PDF reports are not checked against PDF/UA.',
    ],
    contactTitle: 'Feedback and complaints',
    contact:
      'If you meet accessibility problems, contact the authority that runs this installation of Pejling. If the answer does not satisfy you, you can complain to the Danish Agency for Digital Government (Digitaliseringsstyrelsen), which supervises web accessibility.',
    home: 'To the overview',
  },
} as const;

export function AccessibilityPage(props: { lang: Lang }) {
  const text = TEXT[props.lang];
  return (
    <article aria-labelledby="a11y-title" data-testid="accessibility-statement">
      <h1 id="a11y-title">{text.title}</h1>
      <p>{text.intro}</p>
      <h2>{text.howTitle}</h2>
      <ul>
        {text.how.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
      <h2>{text.knownTitle}</h2>
      <ul>
        {text.known.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
      <h2>{text.contactTitle}</h2>
      <p>{text.contact}</p>
      <p>
        <Link to="/">{text.home}</Link>
      </p>
    </article>
  );
}
