"""Messages: store (French first, English beside).

Busy store, demonstration store separation, sign-in throttling and account unlocking.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "guard.error.busy": (
        "La base de données est occupée depuis plus de {seconds} secondes (d'autres "
        "enregistrements sont en cours). Rien n'a été modifié : réessayez dans un moment.",
        "The database has been busy for more than {seconds} seconds (other changes are being "
        "saved). Nothing was changed: try again in a moment.",
    ),
    "guard.demo.refused": (
        "Cette base contient déjà des données (organismes, cycles, versions ou comptes) et "
        "n'est pas une base de démonstration : les données fictives et les comptes de "
        "démonstration n'y sont pas chargés. Utilisez la base de démonstration "
        "(sans CARTO_DATABASE_URL) ou une base vide.",
        "This database already holds data (organisations, cycles, versions or accounts) and "
        "is not a demonstration database: the fictitious data and the demo accounts are not "
        "loaded into it. Use the demonstration database (without CARTO_DATABASE_URL) or an "
        "empty database.",
    ),
    "guard.demo.refused_foreign": (
        "Cette base de démonstration contient des éléments qui ne viennent pas de la "
        "démonstration ({names}) : les données de démonstration n'y sont pas rechargées.",
        "This demonstration database holds items that do not come from the demonstration "
        "({names}): the demonstration data are not loaded into it again.",
    ),
    "guard.demo.serving": (
        "Base de démonstration (données fictives) : {path}",
        "Demonstration database (fictitious data): {path}",
    ),
    "guard.sign_in.locked": (
        "Trop de tentatives de connexion manquées pour ce compte : il est bloqué pendant "
        "encore {minutes} minute(s). Réessayez plus tard ou demandez à la coordination de le "
        "débloquer.",
        "Too many failed sign-in attempts for this account: it is locked for {minutes} more "
        "minute(s). Try again later or ask the coordinator to unlock it.",
    ),
    "guard.unlock.no_account": (
        "Aucun compte « {username} ».",
        "No account '{username}'.",
    ),
    "guard.unlock.done": (
        "Compte « {username} » débloqué.",
        "Account '{username}' unlocked.",
    ),
    "guard.unlock.not_locked": (
        "Le compte « {username} » n'était pas bloqué ; ses tentatives manquées sont oubliées.",
        "The account '{username}' was not locked; its failed attempts are forgotten.",
    ),
    "guard.error.actor": (
        "Nom d'auteur invalide : de 1 à {limit} caractères, sans caractère de contrôle.",
        "Invalid author name: 1 to {limit} characters, no control characters.",
    ),
    "guard.users.bad_name": (
        "Nom de compte invalide : de 1 à 80 caractères, sans caractère de contrôle.",
        "Invalid account name: 1 to 80 characters, no control characters.",
    ),
}
