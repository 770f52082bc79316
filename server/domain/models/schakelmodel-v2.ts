import { type Schakelmodel, schakelmodelSchema } from '../schakelmodel.ts';

/**
 * Schakelmodel version 2, the default model (DOMAIN.md, "version 2"): version 1 with its own
 * rules. "n.v.t." is refused for the written protocol (2a) and for the chain cooperation of
 * gear 5 (5a–5c); criteria above the first gap may stay unanswered; measures are named, not
 * numbered (regions number them differently). A criterion without `notApplicable` allows it.
 */
const definition = {
  id: 'vpt-schakelmodel',
  version: 2,
  name: 'VPT-schakelmodel',
  unansweredAboveFirstGap: true,
  gears: [
    {
      gear: 1,
      name: 'Startpositie',
      description:
        'De organisatie is aangesloten bij het regionale VPT-netwerk, maar heeft nog geen toereikend agressieprotocol.',
      criteria: [],
    },
    {
      gear: 2,
      name: 'Basis gelegd',
      description:
        'Er ligt een vastgesteld protocol en een duidelijke norm die medewerkers en bezoekers kennen.',
      criteria: [
        {
          key: '2a',
          text: 'Er is een schriftelijk agressieprotocol dat door de directie is vastgesteld.',
          measure: 'borging (tactisch)',
          guidance:
            'Schrijf een agressieprotocol (wat is agressie, wat doen we bij een incident, wie doet wat) en laat het formeel vaststellen door directie of bestuur. Het regionale voorbeeldprotocol is een goed vertrekpunt.',
          notApplicable: false,
        },
        {
          key: '2b',
          text: 'Er is een norm voor acceptabel gedrag vastgesteld (huisregels).',
          measure: 'norm stellen',
          guidance:
            'Leg in huisregels vast welk gedrag u wel en niet accepteert van klanten en bezoekers, en welke gevolgen grensoverschrijdend gedrag heeft.',
        },
        {
          key: '2c',
          text: 'De norm is zichtbaar voor bezoekers en cliënten.',
          measure: 'norm stellen',
          guidance:
            'Maak de huisregels zichtbaar waar bezoekers komen: bij de ingang, in de wachtruimte, op de website en in brieven of afspraakbevestigingen.',
        },
        {
          key: '2d',
          text: 'Medewerkers worden gestimuleerd elk incident te melden en weten hoe en waar.',
          measure: 'melden',
          guidance:
            'Richt één eenvoudige meldroute in (formulier of meldpunt), maak die bekend in werkoverleg en intranet, en laat leidinggevenden het melden van elk incident actief aanmoedigen: ook een incident dat klein lijkt.',
        },
      ],
    },
    {
      gear: 3,
      name: 'Protocol werkt',
      description:
        'Het protocol wordt in de praktijk gebruikt: incidenten worden geregistreerd en opgevolgd.',
      criteria: [
        {
          key: '3a',
          text: 'Elk incident wordt centraal geregistreerd.',
          measure: 'registreren',
          guidance:
            'Registreer alle meldingen op één centrale plek (een registratiesysteem of een beheerd register), met datum, plaats, soort agressie en de genomen maatregelen.',
        },
        {
          key: '3b',
          text: 'Medewerkers met publiekscontact zijn getraind.',
          measure: 'training',
          guidance:
            'Train alle medewerkers met publiekscontact in het voorkomen en hanteren van agressie, en plan een herhaling voor nieuwe en bestaande medewerkers.',
        },
        {
          key: '3c',
          text: 'Opvang en nazorg voor slachtoffers zijn geregeld.',
          measure: 'opvang en nazorg',
          guidance:
            'Wijs opvangers aan en leg vast wie na een incident contact opneemt met de medewerker, binnen welke termijn, en waar professionele nazorg te krijgen is.',
        },
        {
          key: '3d',
          text: 'De organisatie reageert binnen 48 uur naar de dader.',
          measure: 'reageren naar de dader',
          guidance:
            'Spreek af wie namens de organisatie binnen 48 uur reageert naar de dader (een brief, een gesprek of een maatregel zoals een toegangsbeperking: bijvoorbeeld alleen nog op afspraak of onder begeleiding) en gebruik daarvoor standaardbrieven.',
        },
        {
          key: '3e',
          text: 'Er is een benoemde coördinator voor agressie en veiligheid.',
          measure: 'borging (operationeel)',
          guidance:
            'Benoem een coördinator agressie en veiligheid op de werkvloer, met tijd en mandaat, als aanspreekpunt voor medewerkers en voor het regionale netwerk.',
        },
      ],
    },
    {
      gear: 4,
      name: 'Consequent en geborgd',
      description:
        'Het beleid wordt consequent toegepast en is geborgd bij de eigen directie en het management.',
      criteria: [
        {
          key: '4a',
          text: 'Aangifte doen wordt gestimuleerd en ondersteund (werkgeversaangifte, aangifte onder nummer).',
          measure: 'aangifte',
          guidance:
            'Stimuleer aangifte bij elk strafbaar incident: bied werkgeversaangifte aan, laat aangifte onder nummer doen in plaats van met het huisadres, en begeleid de medewerker bij de politie.',
        },
        {
          key: '4b',
          text: 'Schade wordt verhaald op daders.',
          measure: 'schade verhalen',
          guidance:
            'Leg vast dat materiële en immateriële schade altijd op de dader wordt verhaald, bijvoorbeeld via voeging in het strafproces of een schadeverhaalbureau.',
        },
        {
          key: '4c',
          text: 'Incidentregistraties worden periodiek geanalyseerd en aan het management gerapporteerd.',
          measure: 'borging (tactisch)',
          guidance:
            'Analyseer de registraties minstens elk halfjaar (aantallen, soorten, plaatsen, trends) en bespreek de uitkomsten en verbetermaatregelen met het management.',
        },
        {
          key: '4d',
          text: 'VPT staat in het beleid van de organisatie en minstens jaarlijks op de agenda van de eigen directie of het eigen bestuur.',
          measure: 'borging (tactisch)',
          guidance:
            'Neem VPT op in het eigen veiligheids- of personeelsbeleid, zet het minstens één keer per jaar op de agenda van directie of bestuur, met de analyse van de incidenten, en bespreek het thema in het werkoverleg.',
        },
        {
          key: '4e',
          text: 'Preventie: ontvangstruimte en bejegening zijn de-escalerend ingericht.',
          measure: 'preventie/gastvrijheid',
          guidance:
            'Laat de ontvangstruimte, wachttijden en bejegening doorlichten op wat agressie uitlokt of voorkomt (gastvrijheid, vluchtwegen, zicht, informatie) en voer de verbeteringen door.',
        },
      ],
    },
    {
      gear: 5,
      name: 'Ketensamenwerking',
      description:
        'De organisatie werkt structureel samen met politie, OM en andere ketenpartners. Dit is geen individuele prestatie.',
      criteria: [
        {
          key: '5a',
          text: 'Er zijn werkafspraken met politie en OM volgens de ELA; contactpersonen zijn bekend.',
          measure: 'ELA',
          guidance:
            'Zorg dat de organisatie de Eenduidige Landelijke Afspraken (ELA) kent, zoals voorrang voor zaken van medewerkers met een publieke taak, en weet wie haar contactpersonen bij politie en OM zijn; maak die contactpersonen bekend bij de medewerkers. Dat het OM in deze zaken een hogere strafeis (+200%) vraagt, is beleid van het OM, geen afspraak die de werkgever maakt.',
          notApplicable: false,
        },
        {
          key: '5b',
          text: 'De organisatie neemt actief deel aan het regionale VPT-netwerk (kennis delen).',
          measure: 'netwerk',
          guidance:
            'Neem deel aan de bijeenkomsten van het regionale VPT-netwerk en deel ervaringen, analyses en goede voorbeelden met andere organisaties.',
          notApplicable: false,
        },
        {
          key: '5c',
          text: 'Jaarlijks wordt met ketenpartners geëvalueerd en het protocol daarop bijgesteld.',
          measure: 'ELA',
          guidance:
            'Evalueer elk jaar met politie, OM en ketenpartners hoe de samenwerking verliep, en stel het protocol bij op basis van die evaluatie.',
          notApplicable: false,
        },
      ],
    },
  ],
};

export const SCHAKELMODEL_V2: Schakelmodel = Object.freeze(schakelmodelSchema.parse(definition));
