"""What agents write in the free-text rubriques: people, requests, facts, follow-ups.

Sentences are short, plain French, the way a counter agent sums up a call; a description may
run over several lines or paragraphs.
"""

from __future__ import annotations

FIRST_NAMES = (
    "Sophie", "Karim", "Nathalie", "Julien", "Fatou", "Marc", "Élodie", "Thierry", "Amina",
    "Hélène", "Bruno", "Chloé", "Mohamed", "Isabelle", "Léa", "François", "Nadia", "Cédric",
)
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Diallo", "Garcia", "Roux", "Benali",
    "Fontaine", "Chevalier", "Nguyen", "Mercier", "Lambert", "Rousseau", "Faure", "Girard",
)
#: How the 39 75 agent is named when the caller remembers: rarely a full name.
AGENT_3975 = (
    "Karim B.", "Mme Leroy", "Julie", "M. Petit", "Samir", "Une conseillère prénommée Anne",
    "Laurent D.", "Mme N'Diaye", "Thomas (d'après l'usager)",
)
REQUESTS = (
    "Inscription sur les listes électorales",
    "Demande d'acte de naissance pour un dossier de retraite",
    "Renouvellement de carte d'identité",
    "Horaires d'ouverture de la piscine Reuilly",
    "Place en crèche pour un enfant de dix mois",
    "Signalement d'un dépôt sauvage rue de Charenton",
    "Prise de rendez-vous pour un mariage civil",
    "Stationnement résidentiel : renouvellement de la carte",
    "Inscription à l'école maternelle",
    "Demande de logement social, suivi du dossier",
    "Encombrants à enlever au pied de l'immeuble",
    "Attestation d'accueil pour un parent étranger",
)
FACTS = (
    "L'usager a été transféré vers notre accueil alors que sa demande relève d'un autre service.",
    "Le téléconseiller lui a dit que nous pouvions traiter sa demande sur place sans rendez-vous.",
    "L'usagère s'est déplacée pour rien, le guichet concerné étant fermé ce jour-là.",
    "L'appel nous a été passé sans aucune explication, l'usager a dû tout répéter.",
    "On lui a donné une adresse qui n'est plus la bonne depuis le déménagement du service.",
    "La personne a attendu une vingtaine de minutes avant que nous puissions la réorienter.",
    "Il lui a été affirmé que le formulaire était disponible en ligne, ce qui n'est pas le cas.",
    "Le transfert a abouti sur notre standard, qui ne peut pas répondre à ce type de question.",
    "L'usager était très mécontent et a demandé à parler à un responsable.",
    "Nous avons pris ses coordonnées et transmis la demande au bon interlocuteur.",
    "C'est la troisième fois ce mois-ci que nous recevons un appel de ce genre.",
    "Les horaires annoncés étaient ceux de l'été dernier.",
)
WRONG_INFORMATION = (
    "La piscine serait ouverte le lundi matin",
    "Les actes de naissance se retirent sans rendez-vous le samedi",
    "La mairie délivre les cartes de stationnement résidentiel",
    "Le dossier peut être déposé par courriel",
    "Le service est ouvert jusqu'à 19h tous les jours",
    "Aucune pièce justificative n'est demandée",
)
FOLLOW_UPS = (
    "Usager rappelé le jour même",
    "Demande transmise au service compétent",
    "Rendez-vous pris pour la semaine prochaine",
    "Aucune suite possible, l'usager n'a pas laissé de numéro",
    "Usager réorienté par téléphone",
    "À signaler de nouveau si cela se reproduit",
)
#: Services outside the directory that a call should have reached (free text, not resolved).
OUTSIDE_SERVICES = (
    "Caisse d'allocations familiales",
    "Préfecture de police, service des titres",
    "Bureau des élections de la mairie du 11e",
    "Service des piscines de la Ville",
    "Centre d'action sociale du 14e",
)
GREETINGS = ("Bonjour,", "Bonjour à tous,", "Madame, Monsieur,", "Bonjour Madame,", "Bonsoir,")
INTROS = (
    "Veuillez trouver ci-dessous la fiche de signalement concernant un appel reçu ce jour.",
    "Je vous transmets une fiche de signalement pour le 39 75.",
    "Voici un nouveau signalement.",
    "Suite à un appel mal orienté, voici la fiche.",
    "",
)
ATTACHED = (
    "Veuillez trouver ci-joint la fiche de signalement.",
    "Ci-joint la fiche remplie.",
    "Je vous transmets en pièce jointe une fiche de signalement 39 75.",
)
CLOSINGS = ("Cordialement,", "Bien cordialement,", "Bonne journée,", "Merci d'avance,")
TITLES = ("Agent d'accueil", "Responsable de l'accueil", "Chargée d'accueil", "Secrétariat")
