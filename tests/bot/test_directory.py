"""Other places and institutions get the directory, never the commune's own facts."""

from __future__ import annotations

from bot.commune import load_commune
from bot.directory import NEIGHBOUR, NOT_OURS, everywhere
from bot.settings import ROOT

CLAIRVAL = load_commune(ROOT / "communes" / "clairval.yml")


def keys(text: str) -> list[str]:
    return [f.key for f in everywhere(text, CLAIRVAL.data.annuaire, CLAIRVAL.name)]


def test_an_institution_is_found_by_its_words() -> None:
    assert keys("horaires de la poste samedi ?") == ["la_poste"]
    assert keys("le numéro de la gendarmerie svp") == ["gendarmerie"]
    assert keys("on m'a volé mon vélo devant la gare, je porte plainte où ?")[0] == "gendarmerie"


def test_a_need_said_in_everyday_words_names_who_to_turn_to() -> None:
    assert keys("je dois déclarer mes revenus cette année, c'est auprès de qui ?") == ["impots"]
    assert keys("je me suis fait arnaquer sur internet, je vais où ?") == ["gendarmerie"]
    assert keys("qui me fait rembourser mes lunettes ?") == ["cpam"]


def test_a_theft_or_a_symptom_names_who_to_turn_to() -> None:
    assert keys("où déclarer le vol de mon portefeuille au marché ?") == ["gendarmerie"]
    assert keys("mon petit a de la fièvre et il est 23h, qui peut le voir ?") == [
        "medecin_de_garde"
    ]


def test_two_institutions_in_one_question() -> None:
    assert keys("les contacts de la caf et de la cpam ?") == ["caf", "cpam"]


def test_another_town_is_not_ours_whatever_it_asks() -> None:
    assert keys("la mairie de Montreuil est ouverte le samedi ?") == [NEIGHBOUR]
    assert keys("horaires de la mairie annexe de Villemomble") == [NEIGHBOUR]
    answer = CLAIRVAL.directory(
        everywhere("la déchetterie de Bagnolet", CLAIRVAL.data.annuaire, CLAIRVAL.name)[0]
    )
    assert "Clairval" in answer and "bagnolet" in answer


def test_our_own_town_hall_is_ours() -> None:
    assert keys("horaires de la mairie de Clairval") == []
    assert keys("la mairie du village ouvre quand ?") == []
    assert keys("vous êtes ouverts samedi ?") == []


def test_words_after_a_place_that_name_no_town_are_ours() -> None:
    assert keys("je voudrais joindre la mairie de vive voix, quel numéro ?") == []
    assert keys("la salle des fêtes du 20 est encore libre ?") == []
    assert keys("la salle des fêtes à disposition des familles coûte combien ?") == []
    assert keys("le gymnase du samedi soir est pris ?") == []


def test_a_shop_or_a_bank_is_nobody_s_public_service() -> None:
    assert keys("ma banque est ouverte le samedi ?") == [NOT_OURS]
    assert keys("un bon garagiste à me conseiller près d'ici ?") == [NOT_OURS]
    # Chambers of trade: the craftsman's, not the town hall's.
    assert keys("le téléphone de la chambre des métiers svp, je m'installe artisan") == [NOT_OURS]


def test_the_post_as_a_way_to_write_to_us_is_no_question_about_it() -> None:
    assert keys("je vous envoie mon dossier par la poste, à quelle adresse ?") == []
    assert keys("le bureau de poste ferme à quelle heure ?") == ["la_poste"]


def test_where_the_resident_lives_is_said_but_not_asked_about() -> None:
    found = everywhere(
        "j'habite à Bagnolet, c'est quand les encombrants ?", CLAIRVAL.data.annuaire, CLAIRVAL.name
    )
    assert [(f.key, f.place, f.sure, f.lives) for f in found] == [
        (NEIGHBOUR, "bagnolet", False, True)
    ]
    assert keys("j'habite à Clairval depuis deux ans") == []
    assert keys("j'habite à côté de la mairie") == []


def test_a_place_named_in_the_story_is_not_what_the_question_asks() -> None:
    # The school and the train give context; the question is about us.
    assert (
        keys("Je travaille de nuit à la cantine de l'école. Vous fermez à quelle heure le jeudi ?")
        == []
    )
    assert (
        keys("Ma fille a oublié son passeport dans le train. C'est combien pour en refaire un ?")
        == []
    )
    # Asked in the question itself, or only said without a question mark: still found.
    assert keys("Ma fille rentre en CP. Quels sont les horaires de l'école ?") == ["ecole"]
    assert keys("Bonjour. Les horaires de la poste samedi. Merci") == ["la_poste"]


def test_a_question_that_points_back_at_the_story_keeps_its_place() -> None:
    assert keys("Je cherche la gendarmerie. Vous avez leur numéro ?") == ["gendarmerie"]
    assert keys("Il me faut le numéro de la CAF. Vous pouvez me le donner ?") == ["caf"]
    # Whom to turn to, asked after the need was told.
    assert keys("Ma fille a de la fièvre, le généraliste est fermé. Qui peut la voir ?") == [
        "medecin_de_garde"
    ]
    assert keys("Mon fils termine le CM2. Il ira où l'an prochain ?") == ["college"]


def test_a_landmark_that_says_where_is_no_place_asked_about() -> None:
    assert keys("le panneau d'affichage devant la poste est tombé") == []
    assert keys("des tags sur le mur en face de la gendarmerie") == []
    # Unless the message asks when it opens or how to reach it.
    assert keys("je suis devant la poste, elle ouvre à quelle heure ?") == ["la_poste"]


def test_a_street_is_no_place_asked_about() -> None:
    assert keys("la salle de la rue des Écoles est libre vendredi ?") == []
    assert keys("un lampadaire est éteint chemin de la Gare, vous pouvez voir ?") == []


def places(text: str) -> list[tuple[str, str]]:
    return [(f.key, f.place) for f in everywhere(text, CLAIRVAL.data.annuaire, CLAIRVAL.name)]


def test_a_neighbouring_town_named_alone_is_another_town() -> None:
    assert places("à Romainville, le ramassage des meubles c'est quel jour ?") == [
        (NEIGHBOUR, "Romainville")
    ]
    assert places("Vincennes, leur mairie ouvre le samedi ?") == [(NEIGHBOUR, "Vincennes")]
    # Said without its name.
    assert places("la commune voisine a-t-elle une déchetterie ouverte le dimanche ?") == [
        (NEIGHBOUR, "")
    ]
    answer = CLAIRVAL.directory(
        everywhere(
            "la mairie d'à côté prend les inscriptions ?", CLAIRVAL.data.annuaire, "Clairval"
        )[0]
    )
    assert "cette commune" in answer


def test_coming_from_a_neighbouring_town_asks_about_ours() -> None:
    assert keys("j'arrive de Bondy à pied, vous fermez à quelle heure ?") == []
    assert keys("je viens de Fontenay-sous-Bois, votre adresse exacte svp") == []
    assert keys("nous sommes de Bagnolet, vous prenez les inscriptions quand ?") == []
    # A service of the directory named with the town is that service.
    assert keys("le lycée de Montreuil ouvre à quelle heure ?") == ["college"]


def test_a_neighbouring_town_in_the_story_is_no_question_about_it() -> None:
    assert keys("je travaille à Montreuil, vous êtes ouverts le samedi ?") == []
    assert keys("ma fille est à Bondy chez sa tante, il faut quoi pour son passeport ?") == []


def test_the_residents_own_town_asked_as_ma_mairie_or_leur_mairie_is_another_town() -> None:
    found = everywhere(
        "je suis de Saint-Ouen, c'est quoi les horaires de ma mairie ?",
        CLAIRVAL.data.annuaire,
        CLAIRVAL.name,
    )
    assert [(f.key, f.place) for f in found] == [(NEIGHBOUR, "saint ouen")]
    assert keys("mon frère se pacse à Vernay, il faut aller à leur mairie ?") == [NEIGHBOUR]
    # Where the resident lives, and that town's hall asked about (« leur salle »).
    found = everywhere(
        "J'habite à Lormes, la commune d'à côté. Je réserve comment leur salle polyvalente ?",
        CLAIRVAL.data.annuaire,
        CLAIRVAL.name,
    )
    assert [(f.key, f.place, f.sure) for f in found] == [(NEIGHBOUR, "lormes", True)]
    # Our own town, or no town named: our mairie.
    assert keys("je suis de Clairval, ma mairie ouvre quand ?") == []
    assert keys("je suis perdu, ma mairie ouvre quand ?") == []


def test_a_question_that_points_back_at_the_service_the_story_named() -> None:
    assert keys("Mon permis de conduire expire. Pour le renouveler, je vais où ?") == ["prefecture"]
    assert keys("Je déménage et je veux le gaz de ville. Qui faut-il appeler ?") == ["gaz"]
    assert keys("Toutes les pharmacies du quartier sont fermées. Laquelle ouvre ?") == [
        "pharmacie_de_garde"
    ]


def test_a_question_without_its_object_points_back_at_the_story() -> None:
    assert keys("Le compteur d'eau tourne tout seul. C'est qui qu'il faut appeler ?") == ["eau"]
    assert keys("La facture d'électricité a triplé. Je m'adresse à qui ?") == ["electricite"]


def test_an_institution_s_words_are_found_in_the_plural_too() -> None:
    # « allocation logement » said « les allocations logement ».
    assert keys("qui verse les allocations logements dans le coin ?") == ["caf"]


def test_a_school_bus_is_transport_not_the_school() -> None:
    assert keys("à quelle heure passe le car du collège le matin ?")[0] == "transports"
    # Where one waits for it says where a problem is, and asks nothing of the carrier.
    assert keys("l'abri où on attend le car a perdu sa vitre") == []


def test_whom_to_turn_to_points_back_at_the_story() -> None:
    # The question names nobody: what the story told says whom to turn to.
    assert keys("Ma fille a de la fièvre depuis ce soir et le cabinet est fermé. Qui peut "
                "l'ausculter ?") == ["medecin_de_garde"]  # fmt: skip
    assert keys("Les voisins mettent la musique à fond jusqu'à 3h. Qui peut intervenir ?") == [
        "police_municipale"
    ]
    # A neighbourhood named after a place is where one lives, not the place.
    assert keys("On habite le quartier de la Gare. Où est notre bureau de vote ?") == []


def test_who_stands_in_for_the_one_the_story_said_closed() -> None:
    text = "Mon fils a de la fièvre et notre médecin est fermé tout le week-end. Qui est de garde ?"
    assert keys(text) == ["medecin_de_garde"]


def test_the_residents_own_town_named_bare_is_asked_about_with_de_chez_nous() -> None:
    text = "j'habite Vernay et je voudrais louer la salle des fêtes de chez nous, comment faire ?"
    found = everywhere(text, CLAIRVAL.data.annuaire, CLAIRVAL.name)
    assert [(f.key, f.place, f.sure) for f in found] == [(NEIGHBOUR, "vernay", True)]
    # Where in town one lives names no town.
    assert keys("j'habite en face du square, la salle des fêtes de chez nous est libre ?") == []


def test_a_complaint_filed_elsewhere_is_the_story_not_a_question() -> None:
    text = "J'ai déjà porté plainte au commissariat de Lyon. Combien coûte la carte d'identité ?"
    assert keys(text) == []


def test_an_institution_nobody_here_stands_for_is_not_ours() -> None:
    text = "Comment contacter l'URSSAF pour ma déclaration d'auto-entrepreneur ?"
    assert keys(text) == [NOT_OURS]
