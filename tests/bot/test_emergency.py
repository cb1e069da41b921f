"""The safety layer: dangers described in plain words get their numbers; ordinary urgent
requests do not; grief gets a human answer."""

from __future__ import annotations

import pytest

from bot.commune import load_commune
from bot.emergency import Alarm, alarm, numbers, plausible
from bot.handoff import alarm_text
from bot.settings import ROOT

CLAIRVAL = load_commune(ROOT / "communes" / "clairval.yml")
SAFETY = CLAIRVAL.data.urgences


@pytest.mark.parametrize(
    ("text", "situation", "number"),
    [
        ("ça sent super fort le gaz dans mon immeuble", "gaz", "0 800 47 33 33"),
        (
            "il y a un monsieur allongé par terre devant la pharmacie, il bouge plus",
            "malaise",
            "15",
        ),
        ("mon voisin est tombé dans l'escalier il saigne beaucoup", "malaise", "15"),
        ("de la fumée noire sort du garage d'en face", "feu", "18"),
        ("ma cave est complètement inondée, l'eau monte encore", "inondation", "18"),
        ("mon mari me frappe, j'ai peur", "violence", "3919"),
        ("un homme avec un couteau crie dans la rue", "menace", "17"),
        ("je n'ai plus envie de vivre, je veux en finir", "suicide", "3114"),
        ("un câble électrique est tombé par terre après l'orage", "electricite", "18"),
        ("ma mère âgée a disparu depuis ce matin", "disparition", "17"),
        ("un chien m'a mordu devant l'école, il est encore en liberté", "animal", "17"),
        ("une voiture vient de renverser un cycliste, il y a eu un accident", "accident", "15"),
    ],
)
def test_a_danger_said_in_plain_words_gets_its_numbers(
    text: str, situation: str, number: str
) -> None:
    found = alarm(text, SAFETY)
    assert found is not None and found.kind == "danger"
    assert situation in found.situations
    given = numbers(found, SAFETY)
    assert any(n.startswith(number) for n in given)
    assert any(n.startswith("112") for n in given)  # always given
    said = alarm_text(CLAIRVAL, found)
    assert number in said and "114" in said


@pytest.mark.parametrize(
    "text",
    [
        "URGENT j'ai perdu mon passeport, il me faut un rendez-vous",
        "c'est urgent, il me faut un acte de naissance pour demain",
        "au secours je comprends rien au site de l'ANTS",
        "le lampadaire penche, il est dangereux",
        "il y a un trou dangereux sur la route de Montreuil",
        "mon chat a disparu depuis hier",
        "le panneau du stop a disparu",
        "je passe des coups de fil toute la journée sans réponse",
        "une battue aux sangliers est prévue dimanche ?",
        "le feu rouge de la place est en panne",
        "horaires de la mairie ?",
        "j'ai eu un accident la semaine dernière, comment faire pour la carte grise",
        # Breath lost under boxes or to laughter, a record broken, fire safety rules.
        "j'étouffe sous les dossiers en ce moment, c'est quand le prochain ramassage ?",
        "ma fille a explosé son record au semi-marathon, le club peut avoir le gymnase ?",
        "on s'est étouffés de rire à la cérémonie, merci pour tout",
        "la commission de sécurité veut la capacité de la salle et l'alarme incendie",
        "un nid de frelons sous le toit de l'école, personne n'a été piqué pour l'instant",
        # « petit » says how small the problem is, not that a child is hurt.
        "petit signalement : la route s'affaisse et il y a des fissures, chemin du Stade",
        "bjr, petit signalement : des dechets partout par terre, impasse des Vignes",
        # « Il y a le feu ! » said of a hurry, before an errand.
        "Il y a le feu ! On doit réserver la salle des fêtes pour le 28 avant ce soir",
        "y a pas le feu, je voudrais juste un rdv passeport",
    ],
)
def test_urgent_sounding_requests_are_no_emergency(text: str) -> None:
    found = alarm(text, SAFETY)
    assert found is None or found.kind != "danger", found


@pytest.mark.parametrize(
    "text",
    [
        "mon père est décédé cette nuit, que dois-je faire ?",
        "ma femme vient de mourir",
        # A death past, told with the words of how it came: grief, not an emergency.
        "mon oncle est mort d'un arrêt cardiaque mardi, on m'envoie à la mairie pour l'acte",
        "décès de ma sœur, tuée dans un accident de voiture samedi, pour les obsèques ?",
    ],
)
def test_grief_gets_a_human_answer_without_emergency_numbers(text: str) -> None:
    found = alarm(text, SAFETY)
    assert found == Alarm("grief")
    said = alarm_text(CLAIRVAL, found)
    assert "condoléances" in said and "112" not in said


def test_words_that_only_look_like_death_are_no_grief() -> None:
    assert alarm("mort de rire ton message", SAFETY) is None
    assert alarm("le monument aux morts est tagué", SAFETY) is None


def test_a_cry_for_help_alone_gets_every_number() -> None:
    found = alarm("au secours !!!", SAFETY)
    assert found == Alarm("danger")
    said = alarm_text(CLAIRVAL, found)
    assert all(n in said for n in ("15", "17", "18", "112", "114"))


@pytest.mark.parametrize(
    "text",
    [
        "je suis veuve depuis l'été et je ne m'en sors pas avec les papiers",
        "je ne m'en remets pas, mon mari est parti il y a un an jour pour jour",
        # « parti » after an illness is a death, not someone missing.
        "mon mari est parti dimanche, après des mois de maladie, je suis perdue",
        # A suicide told as past is a grief.
        "mon frère s'est suicidé l'an dernier, je n'arrive pas à faire les papiers",
        # Softer still: joined the dead, fell asleep for good, a baby who did not wake.
        "papa est parti rejoindre maman mardi, que faut-il faire à la mairie ?",
        "mon oncle s'est endormi pour toujours samedi, qui dois-je prévenir ?",
        "notre fils n'a pas survécu à la naissance, on doit déclarer quelque chose ?",
        "on l'a perdu jeudi, mon grand-père, il avait 91 ans",
    ],
)
def test_a_death_said_in_other_words_is_grief(text: str) -> None:
    assert alarm(text, SAFETY) == Alarm("grief")


def test_loneliness_gets_a_person_without_condolences_or_emergency_numbers() -> None:
    found = alarm("je me sens très seule, personne ne vient me voir, je pleure souvent", SAFETY)
    assert found == Alarm("distress")
    said = alarm_text(CLAIRVAL, found)
    assert "condoléances" not in said and "112" not in said and "agent" in said
    assert alarm("le banc n'est plus là depuis lundi", SAFETY) is None
    assert alarm("je suis seul avec mon passeport périmé, je pleure", SAFETY) is None


def test_gas_smelt_without_the_word_and_a_door_knocked_on() -> None:
    found = alarm(
        "le palier empeste l'œuf pourri et la voisine ne répond pas quand je frappe", SAFETY
    )
    assert found is not None and found.situations[0] == "gaz"
    assert "violence" not in found.situations
    assert alarm("la conduite d'eau fuit sous l'évier", SAFETY) is None


def test_an_unclear_danger_gets_the_listening_lines_too() -> None:
    said = alarm_text(CLAIRVAL, Alarm("danger"))
    assert all(n in said for n in ("15", "17", "18", "3919", "3114", "112"))


@pytest.mark.parametrize(
    "text",
    [
        "la réunion sur les normes de sécurité incendie de l'école, c'est quand ?",
        "la borne d'incendie de ma rue perd de l'eau depuis hier",
        "il y aura un exercice d'évacuation à la crèche jeudi ?",
        "on respire le gaz d'échappement toute la journée rue de la Gare",
        "le tampon d'égout cogne à chaque passage de bus, et mon voisin n'en dort plus",
        "un accrochage ce matin au rond-point, sans blessé, mais le panneau est par terre",
        "je vais l'étrangler mon voisin avec sa haie qui dépasse mdr",
        "mon fils est parti en voyage scolaire, faut-il une autorisation de sortie ?",
        "la lumière du hall de la mairie est morte, je vous le signale",
        "mon chien s'est fait mordre la semaine dernière, il va bien, qui prévenir ?",
        "une bouche à incendie crache de l'eau en continu dans le caniveau",
        "ma maison est-elle obligée d'avoir un détecteur de fumée ?",
        "le capot de la borne du lotissement a disparu",
        "Bonjour madame, monsieur, un panneau est tombé par terre devant le 12 rue Hugo. Merci",
        "Monsieur le maire, la barrière du parc est par terre depuis lundi",
        # Told as past or as fiction, feared rather than happening, or a traffic light.
        "l'incendie de la scierie l'an dernier, on sait pourquoi ça a brûlé ?",
        "ma fille a fait un cauchemar, j'ai rêvé que la maison était inondée",
        "le film où un chien attaque tout le monde passe ce soir à la salle des fêtes ?",
        "le feu tricolore de la place clignote, un accident va finir par arriver",
        "la grille de l'aire de jeux a un bout qui dépasse, les enfants vont se blesser",
        "le chien du voisin a mordu mon chat mais il va bien, à qui le dire ?",
        "le câble téléphonique pend au-dessus du trottoir depuis l'orage",
        "le trottoir est défoncé devant chez moi depuis les travaux",
        "adieu et merci pour tout",
        "la cour de l'école est inondée à chaque orage, il faudrait un regard de plus",
        "ma tante ne répond plus à mes messages depuis Noël, c'est vexant",
        "on m'a fracturé la voiture cette nuit, où porter plainte ?",
        # A joke, a figure, painted words, cardboard flames, a hot sauce, what nearly happened.
        "je suis morte de rire, le ballon a explosé sur la tête de mon frère",
        "des tags avec des flammes partout sur le transformateur de la rue",
        "j'ai failli me tuer dans ce trou hier, il faudrait le reboucher",
        "la sauce de la cantine met le feu à la bouche, les enfants se plaignent",
        "le compteur d'eau de la cave fuit un peu, qui dois-je appeler ?",
        "le gymnase a été inondé l'an dernier, est-il rouvert ?",
        # A funeral as the reason for an ordinary request: the request is answered.
        "il nous faudrait trente chaises samedi pour le café après les obsèques de mon oncle",
        "un rendez-vous pour un passeport vite svp, je pars pour un enterrement au Portugal",
        # A street light stuck on green, a go-ahead.
        "le feu pour les piétons de la place reste tout le temps au vert",
        "le voisin monte un mur de trois mètres, il a eu le feu vert de chez vous ?",
        # A harm that is over and left something to mend; nothing happening, said outright.
        "mon fils s'est ouvert le genou sur la grille lundi, il faudrait la réparer",
        "la poubelle a brûlé dans la nuit de samedi, le bac est tout fondu",
        "accrochage rue Pasteur, pas de blessé, mais le potelet est plié",
        "le numéro d'Enedis svp, pas de fil tombé, juste le courant coupé",
        "la fibre a été tirée à la hâte, le câble télécom traîne par terre",
        "ce formulaire va me tuer, je n'y comprends rien",
        "un graffiti « au secours » a été peint sur l'abribus",
        "des traces de sang séché sur le toboggan depuis dimanche",
        "je vais tuer le livreur s'il laisse encore le colis dehors mdr",
        "vite svp, mon passeport a brûlé dans l'incendie de l'an dernier, comment le refaire ?",
        "ça brûle les yeux tellement c'est moche, ces graffitis sur le préau",
        "de la part de ma mère : une voiture aux vitres explosées est garée là depuis deux mois",
        "je pars pour de bon de Clairval en mars, comment me désinscrire des listes ?",
    ],
)
def test_what_only_holds_a_danger_word_is_no_alarm(text: str) -> None:
    assert alarm(text, SAFETY) is None, text


@pytest.mark.parametrize(
    ("text", "situation"),
    [
        ("la cage d'escalier est pleine de fumée, on ne peut plus sortir", "feu"),
        ("mon oncle s'est écroulé dans la cuisine, il a les yeux révulsés", "malaise"),
        ("un bus vient de faucher un piéton au carrefour", "accident"),
        ("il m'a tirée par les cheveux et il me brutalise devant les enfants", "violence"),
        ("un homme cagoulé essaie d'entrer chez ma voisine", "menace"),
        ("j'ai tout prévu pour ce soir, ce sera mieux pour tout le monde si je pars", "suicide"),
        ("le tuyau de la machine a éclaté et l'eau arrive au salon", "inondation"),
        ("des câbles à nu pendent du poteau devant l'école", "electricite"),
        ("on ne trouve plus le petit de la voisine depuis une heure", "disparition"),
        ("mon neveu jouait au toboggan du square, on ne le trouve plus", "disparition"),
        ("un chien sans maître saute sur les enfants au square", "animal"),
        # A thing and what it does, said together: no phrase of the commune file needed.
        ("la bouteille de propane du barbecue siffle et ça pue dans tout le jardin", "gaz"),
        ("le grenier de la maison d'en face fume par les tuiles", "feu"),
        ("mon époux a le bras tout engourdi depuis dix minutes et bafouille", "malaise"),
        ("la petite a bu de l'eau de javel dans la salle de bain", "malaise"),
        ("un tracteur a percuté un cycliste sur la départementale", "accident"),
        ("ma coloc se fait gifler par son copain dans l'escalier", "violence"),
        ("bagarre au couteau sur le parking de la gare", "menace"),
        ("un homme crie sous mes fenêtres qu'il va m'égorger", "menace"),
        ("mon frère m'a envoyé un message d'adieu et ne répond plus", "suicide"),
        ("la cave est pleine d'eau et ça continue de monter", "inondation"),
        ("les voisins sont bloqués sur leur toit, l'eau a tout pris", "inondation"),
        ("le boîtier électrique du lotissement grésille et fait des étincelles", "electricite"),
        ("papy a Alzheimer, il est parti de la maison ce midi, introuvable", "disparition"),
        ("deux molosses grognent et encerclent les enfants à l'arrêt du car", "animal"),
        ("ma voisine est tombée dans l'escalier, elle est toute molle", "malaise"),
        ("le feu de broussailles descend vers le lotissement", "feu"),
        ("mon frère dit qu'il va sauter, il est à la fenêtre", "suicide"),
        ("un inconnu essaie d'entrer chez moi par le garage", "menace"),
        # Carbon monoxide: a heater and a household unwell, without a word of gas.
        ("depuis qu'on a allumé le poêle on a tous mal à la tête et mon fils a vomi", "gaz"),
        ("papa a la bouche qui tombe et n'arrive plus à lever le bras gauche", "malaise"),
        ("je suis seule et je perds beaucoup de sang depuis une heure", "malaise"),
        ("des vaches divaguent sur la route de Montreuil en pleine nuit", "animal"),
        ("mamie est partie chercher le pain à 8h et n'est jamais revenue", "disparition"),
        # Plural burning, a fall into a hole, bare wires, a cry for help, a silent neighbour,
        # animals loose on a road.
        ("les broussailles brûlent le long du chemin du Stade", "feu"),
        ("la grille d'égout a cédé sous un enfant, il est tombé dedans", "malaise"),
        (
            "le coffret électrique est ouvert et les fils sont à nu, des enfants jouent",
            "electricite",
        ),
        ("une femme crie au secours dans l'appartement d'à côté", "violence"),
        ("ma voisine de 85 ans n'ouvre plus depuis deux jours, ses volets sont fermés", "malaise"),
        ("un sanglier au milieu de la rue des Lilas", "animal"),
        # Fire inside a place, smoke out of a door, a fall from a scooter, blows told plainly,
        # an ex at the door, cows on a road by its number, dogs going for children.
        ("feu dans le garage à vélos de la résidence, les gamins sont à côté", "feu"),
        ("ça fume par la fenêtre du fleuriste fermé, quelqu'un vit au-dessus", "feu"),
        ("un motard a dérapé sur le gasoil, il est par terre au milieu du carrefour", "accident"),
        ("trois types s'en prennent à un collégien à l'arrêt de bus", "violence"),
        ("mon ex tambourine et hurle qu'il va m'égorger", "menace"),
        ("un troupeau de vaches sur la D40 dans la descente, il fait nuit", "animal"),
        ("deux chiens s'en prennent à des enfants près du terrain de foot", "animal"),
        ("un monsieur a les lèvres toutes bleues sur le banc de la gare", "malaise"),
        ("un homme secoue violemment une dame sur le parking", "violence"),
        ("nous cherchons notre petite de 5 ans depuis trente minutes au marché", "disparition"),
        ("des flammes sortent du conduit de la cheminée, le mur du salon est brûlant", "feu"),
        # A farewell said without the word (« je pars pour de bon, je m'excuse pour tout »).
        ("j'ai écrit à mes enfants, je m'excuse pour tout, ce soir je pars pour de bon", "suicide"),
        # Violence and threats at home; a story from months ago, the one who hurt coming
        # back soon.
        ("mon copain devient violent quand il boit, hier il m'a serrée au cou", "violence"),
        # Heard through a wall; an old mother bruised and pushed; an ex who knows where one
        # works; a stranger online who knows the address.
        ("chaque nuit j'entends la voisine crier arrête et des bruits sourds", "violence"),
        ("ma mère a des bleus sur les bras, mon frère la pousse quand elle dit non", "violence"),
        (
            "mon ex m'écrit qu'il sait où je travaille et que je vais voir ce qui va m'arriver",
            "menace",
        ),
        ("un inconnu sur internet dit à ma fille qu'il connaît notre adresse", "menace"),
        ("mon ex a dit qu'il mettrait le feu à ma maison si je portais plainte", "menace"),
        (
            "nous sommes arrivés il y a trois mois. Mon mari me frappe quand il a bu "
            "et il rentre dans une heure",
            "violence",
        ),
    ],
)
def test_a_danger_said_with_everyday_words_is_caught(text: str, situation: str) -> None:
    found = alarm(text, SAFETY)
    assert found is not None and situation in found.situations, (text, found)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        # The cause before the harm it made: its advice and numbers come first.
        ("mon frère a pris une décharge en changeant une prise, il ne bouge plus", "electricite"),
        ("le chien du voisin a mordu ma fille au visage, elle saigne beaucoup", "animal"),
        # A death past does not hide someone in danger now.
        ("mon père est décédé hier et ce matin ma mère ne respire plus", "malaise"),
        # A question first, then what is happening: the danger, whatever the errand.
        (
            "je voulais des renseignements pour ma carte d'identité mais mon père vient de "
            "perdre connaissance devant moi",
            "malaise",
        ),
        ("deux grands attrapent mon frère et le cognent, il a la lèvre en sang", "violence"),
        ("un type sort un revolver et dit qu'il va abattre le gardien", "menace"),
        ("ma sœur a pris tous ses cachets d'un coup, elle vomit", "suicide"),
        ("la friteuse a pris feu, on a mis un torchon dessus mais ça reprend", "feu"),
        # Signs of a stroke, water already in the houses, « d'un coup » meaning suddenly.
        ("ma grand-mère a la bouche de travers et parle n'importe comment", "malaise"),
        ("le ruisseau déborde, l'eau passe sous les portes des maisons du bas", "inondation"),
        ("d'un coup la boue est arrivée dans les salons de la rue basse", "inondation"),
        # « d'un coup de feu » is a blow, not « suddenly ».
        ("le gardien a été touché d'un coup de feu dans la rue", "violence"),
        # A fire announced against one's things is a threat, not a fire.
        ("des jeunes ont écrit sur ma porte qu'ils vont brûler ma voiture", "menace"),
        # A fall or a poisoning is a malaise, neither a blow nor a wish to die.
        ("mon fils s'est cogné la tête en tombant du vélo, il saigne un peu", "malaise"),
        ("une dame a été frappée par un malaise au marché, elle est par terre", "malaise"),
        ("mon petit de 3 ans a avalé toute la plaquette de comprimés de sa grand-mère", "malaise"),
        ("mon père a pris tous ses médicaments du jour par erreur, il a des vertiges", "malaise"),
        # Sparks on the ground are the wire's, not a crash's; a chimney's sparks are a fire's.
        (
            "un câble est tombé sur le parking, il fait des étincelles par terre à côté des vélos",
            "electricite",
        ),
        (
            "les fils du poteau ont été arrachés par l'arbre, ils pendent au-dessus du trottoir",
            "electricite",
        ),
        ("la cheminée du voisin crache des étincelles et des flammes, le toit fume", "feu"),
        # A gas heater's flame and a beeping detector are carbon monoxide, not a fire.
        (
            "le détecteur de monoxyde bipe et la chaudière fait une flamme jaune, "
            "j'ai mal à la tête",
            "gaz",
        ),
        # Screams under a lorry are the crash's; a fight is violence by itself.
        ("un piéton est passé sous les roues du bus, il hurle", "accident"),
        ("grosse baston devant le bar, ils sont cinq sur un seul", "violence"),
        # Threats to come back and burn the house; a laie charging children.
        ("il m'a dit qu'il reviendrait ce soir cramer la maison avec nous dedans", "menace"),
        ("une laie et ses petits foncent sur les enfants au parc", "animal"),
        ("je suis sur le toit de mon immeuble et je n'ai plus la force", "suicide"),
        # A wish to die beside a death told as past: the past is the mother's.
        (
            "mon ami dit qu'il va rejoindre sa mère cette nuit, elle est morte l'an dernier",
            "suicide",
        ),
        ("trois enfants se sont fait piquer par les guêpes du nid sous le préau", "animal"),
    ],
)
def test_the_first_situation_said_is_what_causes_the_danger(text: str, first: str) -> None:
    found = alarm(text, SAFETY)
    assert found is not None and found.situations[:1] == (first,), (text, found)


def test_a_threat_from_a_partner_is_violence_at_home_too() -> None:
    found = alarm("ma voisine est chez moi, elle dit que son compagnon va la tuer", SAFETY)
    assert found is not None and {"menace", "violence"} <= set(found.situations)
    assert "3919" in alarm_text(CLAIRVAL, found)


def test_a_danger_happening_now_beside_a_repair_to_ask_for_is_no_past_danger() -> None:
    # « depuis 15 jours, faut les réparer » is about the street lights, not the blows.
    text = (
        "un homme est en train de frapper quelqu'un sous le porche, et les lampadaires sont "
        "éteints depuis 15 jours, faut les réparer"
    )
    found = alarm(text, SAFETY)
    assert found is not None and found.situations[:1] == ("violence",)


@pytest.mark.parametrize(
    "text",
    [
        "il perd énormément de sang",
        "une voiture a foncé dans la vitrine",
        "jai peur ca siffle sous levier",
        "ma fille dit qu'elle va rejoindre son père, mort l'an dernier",
        "le courant emporte tout dans la rue et une dame s'accroche",
        "la rivière passe par-dessus le pont, le garage prend déjà l'eau et ça continue",
        "notre fils de 15 ans n'est toujours pas là, on le cherche partout",
    ],
)
def test_what_the_classifier_alone_takes_for_a_danger_may_be_one(text: str) -> None:
    assert plausible(text)


@pytest.mark.parametrize(
    "text",
    [
        "le tilleul de la place a l'air bien malade, son écorce tombe par plaques",
        "le conteneur à verre déborde et plus personne ne vient le vider",
        "l'incendie d'il y a trois ans a laissé une ruine au bout de la rue, qui s'en occupe ?",
        "le banc a brûlé la semaine dernière, il faudrait le remplacer",
        # Someone in the message is not enough: a body in trouble or fear must be said.
        "nous venons d'emménager avec mes deux enfants, permis de construire ?",
        # An electric bike, a stray dog nobody fears, a paper lost.
        "on m'a volé mon vélo électrique cette nuit, où porter plainte ?",
        "notre chienne a disparu ce matin, quelqu'un l'a vue dans le quartier ?",
        "un chien perdu traîne dans l'impasse, il est gentil, qui vient le chercher ?",
        "l'école veut un papier signé mais mon fils l'a perdu, comment je joins l'école ?",
        # « maintenant » says when, not that somebody is in danger.
        "les branches du tilleul touchent maintenant les fenêtres, personne ne vient les couper",
        # The gas company's business, no sign of a leak.
        "c'est qui qui passe relever le compteur de gaz chez nous ?",
        "ma facture de gaz a doublé, vous avez le numéro du fournisseur ?",
    ],
)
def test_what_holds_nothing_of_a_danger_is_no_emergency_whatever_the_classifier(
    text: str,
) -> None:
    assert not plausible(text)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        # A fire is the danger, whatever appliance started it.
        ("le grille-pain électrique a pris feu, la cuisine est pleine de fumée", "feu"),
        # A fire announced against a home is a threat.
        ("mon ancien associé dit qu'il va venir brûler ma maison ce soir", "menace"),
    ],
)
def test_what_the_danger_is_comes_first(text: str, first: str) -> None:
    found = alarm(text, SAFETY)
    assert found is not None and found.situations[0] == first, found


@pytest.mark.parametrize(
    "text",
    [
        # Dealt with, said so (« les pompiers sont venus », « tout le monde va bien »).
        "un feu de poubelle hier soir devant l'immeuble, les pompiers sont intervenus, "
        "il reste le conteneur fondu",
        "petite inondation dans le garage la semaine dernière, tout le monde va bien, "
        "on voudrait jeter les cartons mouillés",
        "depuis les crues de mars notre jardin est plein de boue, qui peut nettoyer le fossé ?",
        # What a past crash left bent.
        "un camion a percuté le panneau hier, personne de blessé, il est resté tordu",
        # Figures: a plan falling through, a scolding promised, a lid that slams, a hole
        # full of rain, a neighbourhood kept awake.
        "mon mariage tombe à l'eau si je n'ai pas mon acte de naissance avant lundi",
        "ma femme va me tuer si j'oublie de réserver la salle 😂",
        "la grille d'égout qui claque à chaque voiture devant le 4",
        "un trou sur la chaussée, avec la pluie il est plein d'eau, on ne le voit pas",
        "le chantier commence à 6h, tout l'immeuble est réveillé et ma fille pleure",
        # A chore, the heat, a fire the firemen have left, a fever with a normal breath.
        "je vais tuer mon mari s'il oublie encore de sortir les poubelles",
        "ça brûle dans cette salle, on était à 35 degrés au loto, il y a une clim ?",
        "la poêle a pris feu hier soir, tout va bien, les pompiers sont repartis, "
        "mais il faut refaire la hotte",
        "mon fils a 39 de fièvre, il respire normalement, quel médecin est de garde ?",
        "ma cheffe va me tuer si j'arrive encore en retard, vous ouvrez à 8h30 ?",
        "le toboggan du square a une vis qui dépasse, j'ai peur qu'un enfant se blesse",
        "exercice d'alerte incendie à l'école jeudi, la garderie est maintenue ?",
        "la fuite de gaz du carrefour a été réparée lundi mais la tranchée est mal rebouchée",
        # Flooded with mail, a fire at the lake, a thrashing at a final, a treasurer or a
        # file that « will kill me », the writer's own exasperation beside a question.
        "je suis inondée de mails de relance des impôts, vous avez leur numéro ?",
        "y a le feu au lac ? je demandais juste où en est mon signalement",
        "mon fils s'est fait écraser en finale du tournoi, il est dégoûté",
        "le président du club va me tuer si la salle n'est pas réservée à temps",
        "ce dossier de permis va me tuer, quelles pièces faut-il ?",
        "je vais tuer mon fils, il a perdu les clés ! vous ouvrez à quelle heure ?",
        # Things that went missing; a separation.
        "mes rendez-vous ont disparu de la liste, vous pouvez vérifier ?",
        "depuis que ma femme est partie la maison est bien vide",
        # A year, the news, a heart attack at a bill, a pet run over, a joke taken back, a
        # word of time that says how a bent sign stands, a child off a list.
        "après l'inondation de 2021, l'arrêté de catastrophe naturelle est paru où ?",
        "vu aux infos l'incendie du Var, la commune organise une collecte ?",
        "crise cardiaque en recevant la facture d'eau, vous avez le numéro du service ?",
        "le chien de mon fils s'est fait écraser, il pleure beaucoup",
        "au feu les pompiers ! non je rigole, vous fermez à quelle heure ?",
        "l'accident de mardi a plié la barrière, elle penche maintenant sur le trottoir",
        "ma fille a disparu de la liste de la garderie, qui je dois appeler ?",
        "ces nids-de-poule, c'est la mort de ce quartier",
        # A party that was « on fire » a day gone by, the booking asked again.
        "la piste était en feu samedi, quelle soirée ! on peut louer la salle de nouveau "
        "pour le 3 mai ?",
        # Gone days ago, nothing of a search: a death said softly.
        "mon père est parti jeudi, je ne sais pas quoi faire de tous ses papiers",
        # The thing that went missing, named in the same sentence as the words.
        "mon dossier de mariage a disparu depuis hier, ma fille l'avait posé sur la table",
    ],
)
def test_what_is_over_or_said_in_figures_raises_no_alarm(text: str) -> None:
    assert alarm(text, SAFETY) is None


def test_a_danger_dealt_with_that_starts_again_is_a_danger() -> None:
    found = alarm("les pompiers sont venus pour le feu de haie mais ça repart !", SAFETY)
    assert found is not None and "feu" in found.situations


@pytest.mark.parametrize(
    "text",
    [
        "le feu est éteint mais mon voisin ne respire plus",
        "les pompiers sont intervenus mais ma mère saigne de la tête",
        "la fuite a été colmatée mais mon père est inconscient dans la cuisine",
    ],
)
def test_a_danger_dealt_with_and_someone_in_trouble_now_is_a_danger(text: str) -> None:
    found = alarm(text, SAFETY)
    assert found is not None and "malaise" in found.situations
    assert plausible(text)


@pytest.mark.parametrize(
    ("text", "situation"),
    [
        ("je n'en peux plus, j'ai préparé toutes mes plaquettes de somnifères", "suicide"),
        ("j'ai perdu ma fille de 4 ans au marché, on la cherche partout", "disparition"),
        # An errand said first, then what just happened.
        (
            "je dois décaler mon rdv passeport, mon père vient de tomber, "
            "son bras fait un angle bizarre",
            "malaise",
        ),
        ("mon fils hurle de douleur, sa main est coincée dans la porte", "malaise"),
        ("je pense à me supprimer, je ne sais pas à qui le dire", "suicide"),
        ("chui sur le pont de la rocade, j'ai plus envie de continuer", "suicide"),
        (
            "merci pour tout, je n'aurai plus besoin de rien après ce soir, "
            "j'ai laissé une lettre pour chacun",
            "suicide",
        ),
        (
            "ma fille devait rentrer du collège à 17h, il est 19h, elle n'est chez aucune copine",
            "disparition",
        ),
        ("un chien très énervé dans la cour de l'école, les petits sont dehors", "animal"),
        ("ça sent le souffre dans le garage depuis une heure", "gaz"),
        ("des chevreuils blessés en plein milieu de la route, les voitures freinent", "animal"),
        # An errand, then « autre chose »: the signs of a stroke are no figure.
        (
            "il me faut un acte de naissance. Autre chose, mon père a la bouche de travers "
            "et n'arrive plus à lever le bras",
            "malaise",
        ),
        # The smell in the past tense; a rotten smell and a hiss; smoke misspelt.
        ("en rentrant du travail j'ai trouvé que ça sentait fort le gaz sur le palier", "gaz"),
        ("une odeur de pourri devant chez nous et comme un sifflement sous le trottoir", "gaz"),
        ("de la fumé noir qui sort des fenêtres de l'immeuble d'en face", "feu"),
        # What caught fire, said without « feu »; sparks that lit it are the fire's.
        ("le grille-pain a fait des étincelles et le rideau a pris", "feu"),
        ("il est tombé d'un coup et ne reprend pas connaissance", "malaise"),
        ("mon fils s'est enfermé, il dit qu'il va s'ouvrir les veines", "suicide"),
        ("j'ai mis de côté toutes mes pilules pour ce soir", "suicide"),
        # A bare live wire is no report that comes back with the weather.
        (
            "le coffret de la rue est ouvert, les fils pendent et ça grésille quand il pleut",
            "electricite",
        ),
        ("j'ai perdu mon fils de 6 ans au supermarché, aidez-moi", "disparition"),
        # Signs without their names: cold and absent, a car leaving the road into water,
        # water in a garage said without an article, a wanderer in slippers, a child late
        # whose bike is gone too, a grandfather not found.
        ("mon grand-père est tout froid dans son lit, il ne me reconnaît pas", "malaise"),
        ("un camion a quitté la route et il est sur le flanc, le chauffeur est coincé", "accident"),
        (
            "la rivière déborde, l'eau est dans garage et monte, mes parents dorment en bas",
            "inondation",
        ),
        ("ma voisine qui a Alzheimer marche en chaussons le long de la nationale", "disparition"),
        (
            "mon fils devait rentrer du foot à 17h, il est 19h, il n'est pas chez son copain "
            "et son vélo n'est plus au garage",
            "disparition",
        ),
        ("on trouve plus papy depuis ce matin, sa voiture est devant la forêt", "disparition"),
        # Farewells without the word: things given away, a gun taken out beside papers put in
        # order, no wish to wake up beside an errand, a despair said with « mdr ».
        (
            "j'ai donné mes affaires à ma sœur, si quelqu'un lit ça, occupez-vous du chien",
            "suicide",
        ),
        ("mes papiers sont en ordre chez le notaire et j'ai sorti le fusil de la cave", "suicide"),
        (
            "il me faut un acte de naissance pour mon fils après. Je suis fatigué de tout, "
            "je ne veux plus me réveiller",
            "suicide",
        ),
        (
            "jsp pourquoi je vous écris mdr, personne va me chercher ce soir, je vais au pont",
            "suicide",
        ),
    ],
)
def test_a_danger_told_without_its_usual_words(text: str, situation: str) -> None:
    found = alarm(text, SAFETY)
    assert found is not None and found.kind == "danger"
    assert situation in found.situations
    assert "violence" not in found.situations


def test_everyone_safe_now_is_no_fire_put_out() -> None:
    found = alarm("Incendie au 3e étage, on est tous sortis, tout le monde va bien", SAFETY)
    assert found is not None and "feu" in found.situations


@pytest.mark.parametrize(
    "text",
    [
        # Coming home, a visit asked for, a theft over, harm only feared, a lawsuit threatened.
        "Je rentre tard du travail le soir, vous fermez à quelle heure ?",
        "Vous venez parfois ramasser les vieux canapés laissés devant les maisons ?",
        "On a volé ma trottinette cette nuit devant chez moi, c'est grave, je fais quoi ?",
        "Le trottoir est tout déformé devant l'école, je vous écris avant que quelqu'un ne tombe",
        "Ma voisine menace de porter plainte à cause de ma haie, elle a le droit ?",
    ],
)
def test_ordinary_words_of_coming_home_visits_and_quarrels_are_no_danger(text: str) -> None:
    assert alarm(text, SAFETY) is None
    assert not plausible(text)


@pytest.mark.parametrize(
    ("text", "situation"),
    [
        ("Ma fille n'est toujours pas rentrée du collège et il est 21h, on la cherche partout",
         "disparition"),
        ("Mon voisin menace de la frapper avec une barre, il hurle dans l'escalier", "menace"),
        ("Mon ex menace de me couper la gorge, il est devant ma porte", "menace"),
        ("Venez vite, mon père est tombé et il ne se relève pas", "malaise"),
        # A fire said beside an errand is still a fire.
        ("il y a le feu à la salle des fêtes, il faut annuler la réservation", "feu"),
        ("Au secours il y a le feu ! je dois réserver quoi, la salle est pleine de fumée", "feu"),
        ("il y a le feu ! vite ! mon rendez-vous passeport attendra", "feu"),
        # An errand in a sentence of its own makes no figure of a blow or a wish to die in
        # another, and a thing named for the errand excuses no child not come home.
        ("Je dois annuler ma réservation des chaises de samedi. Et sous ma fenêtre un gars "
         "cogne sa copine", "violence"),
        ("Je n'en peux plus, j'ai envie de disparaître. Avant, je voudrais annuler ma "
         "réservation du gymnase.", "suicide"),
        ("ma fille est partie dimanche et on n'a aucune nouvelle depuis", "disparition"),
        ("Il me faut la copie de mon acte de naissance pour mon dossier. Autre chose : ma "
         "fille n'est pas rentrée depuis hier soir", "disparition"),
    ],
)  # fmt: skip
def test_the_same_words_said_of_a_danger_still_raise_it(text: str, situation: str) -> None:
    found = alarm(text, SAFETY)
    assert found is not None and situation in found.situations


def test_somebody_in_trouble_now_may_be_a_danger_the_classifier_alone_read() -> None:
    assert plausible("le bébé de ma voisine est tout bleu maintenant, il ne pleure plus")
    # A meter with a sign of a leak is still gas.
    assert plausible("le compteur de gaz siffle depuis ce matin")
