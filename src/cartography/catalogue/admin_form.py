"""Messages: administration, online form, accounts, downloads (French first, English beside).

Unchanged re-submissions, superseded versions, the version summary shown before validating,
pending versions, account reset and disabling, new cycles pre-filled from the last validated
version, and the names of prepared files.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # -- store rules ------------------------------------------------------------------------
    "adminform.error.unchanged": (
        "Rien n'a changé depuis la version {version} du cycle {cycle} : aucune nouvelle version "
        "n'est créée. Modifiez vos réponses avant de soumettre de nouveau.",
        "Nothing changed since version {version} of cycle {cycle}: no new version is created. "
        "Change your answers before submitting again.",
    ),
    "adminform.error.superseded": (
        "La version {version} de « {org} » a été remplacée par une version plus récente "
        "(version {newest}) : elle ne peut plus être validée.",
        "Version {version} of '{org}' was superseded by a newer version (version {newest}): "
        "it can no longer be validated.",
    ),
    "adminform.error.cycle_dates": (
        "La date de fin ({ends}) précède la date de début ({starts}).",
        "The end date ({ends}) is before the start date ({starts}).",
    ),
    "adminform.error.last_coordinator": (
        "« {username} » est le dernier compte de coordination actif : il ne peut pas être "
        "désactivé (personne ne pourrait plus valider ni réactiver de compte).",
        "'{username}' is the last active coordinator account: it cannot be disabled (nobody "
        "could validate or enable accounts any more).",
    ),
    "adminform.sign_in.disabled": (
        "Ce compte est désactivé. Adressez-vous à la coordination.",
        "This account is disabled. Contact the coordinator.",
    ),
    # -- cycles -----------------------------------------------------------------------------
    "adminform.cycle.starts_on": ("Début de la période", "Start of the period"),
    "adminform.cycle.ends_on": ("Fin de la période", "End of the period"),
    "adminform.cycle.opened_prefilled": (
        "Cycle {code} ouvert. Le gabarit de {count} membre(s) est prérempli à partir de leur dernière version validée.",
        "Cycle {code} opened. The template of {count} member(s) is pre-filled from their last validated version.",
    ),
    "adminform.cycle.prefill_heading": (
        "Point de départ des membres pour le cycle {cycle}",
        "Where members start from for cycle {cycle}",
    ),
    "adminform.cycle.prefill_from": ("Prérempli à partir de", "Pre-filled from"),
    "adminform.cycle.prefill_version": (
        "cycle {cycle}, version {version} ({status})",
        "cycle {cycle}, version {version} ({status})",
    ),
    "adminform.cycle.prefill_none": ("gabarit vierge", "blank template"),
    "adminform.col.code": ("Cycle", "Cycle"),
    "adminform.col.status": ("État", "Status"),
    "adminform.col.opened_at": ("Ouvert le", "Opened on"),
    "adminform.cycle.status.open": ("Ouvert", "Open"),
    "adminform.cycle.status.closed": ("Fermé", "Closed"),
    # -- members and submissions ------------------------------------------------------------
    "adminform.col.org_id": ("Code", "Code"),
    "adminform.col.name": ("Organisme", "Organisation"),
    "adminform.col.org_type": ("Type", "Type"),
    "adminform.col.source": ("Fichier ou formulaire", "File or form"),
    "adminform.col.validated_at": ("Validée le", "Validated on"),
    "adminform.col.validated_by": ("Validée par", "Validated by"),
    "adminform.pending_heading": ("Versions en attente de validation", "Versions waiting for validation"),
    "adminform.pending_none": ("Aucune version en attente.", "No version waiting."),
    "adminform.pending_choice": ("{org} — version {version} ({when})", "{org} — version {version} ({when})"),
    "adminform.summary_heading": ("Résumé de la version {version}", "Summary of version {version}"),
    "adminform.summary.sections": ("Section", "Section"),
    "adminform.summary.rows": ("Lignes", "Rows"),
    "adminform.summary.added": ("Ajoutées", "Added"),
    "adminform.summary.removed": ("Retirées", "Removed"),
    "adminform.summary.changed": ("Modifiées", "Changed"),
    "adminform.summary.against": (
        "Comparée à la version validée {version} (cycle {cycle}).",
        "Compared with validated version {version} (cycle {cycle}).",
    ),
    "adminform.summary.first": (
        "Aucune version validée à comparer : toutes les lignes sont nouvelles.",
        "No validated version to compare with: every row is new.",
    ),
    "adminform.summary.renamed": (
        "Nom de l'organisme : « {before} » devient « {after} » (prend effet à la validation).",
        "Organisation name: '{before}' becomes '{after}' (takes effect on validation).",
    ),
    "adminform.summary.details": ("Lignes ajoutées, retirées ou modifiées", "Rows added, removed or changed"),
    "adminform.summary.change": ("Changement", "Change"),
    "adminform.summary.row": ("Ligne", "Row"),
    "adminform.section.sites": ("Sites", "Sites"),
    "adminform.section.services": ("Services", "Services"),
    "adminform.section.clients": ("Clientèle", "Clients"),
    "adminform.section.needs": ("Besoins", "Needs"),
    "adminform.home.pending": (
        "{count} version(s) attendent votre validation (page Administration).",
        "{count} version(s) wait for your validation (Administration page).",
    ),
    "adminform.home.pending_row": (
        "{org} — version {version}, soumise le {when}",
        "{org} — version {version}, submitted on {when}",
    ),
    # -- accounts ---------------------------------------------------------------------------
    "adminform.col.username": ("Nom d'utilisateur", "User name"),
    "adminform.col.role": ("Rôle", "Role"),
    "adminform.col.account_state": ("État du compte", "Account state"),
    "adminform.col.created_at": ("Créé le", "Created on"),
    "adminform.account.active": ("Actif", "Active"),
    "adminform.account.disabled": ("Désactivé", "Disabled"),
    "adminform.account.manage": ("Gérer un compte", "Manage an account"),
    "adminform.account.choose": ("Compte", "Account"),
    "adminform.account.new_password": (
        "Nouveau mot de passe (laisser vide pour en tirer un au hasard)",
        "New password (leave empty to draw a random one)",
    ),
    "adminform.account.reset": ("Réinitialiser le mot de passe", "Reset the password"),
    "adminform.account.reset_done": (
        "Nouveau mot de passe de « {username} » (affiché une seule fois ; transmettez-le de façon sûre) :",
        "New password for '{username}' (shown only once; pass it on safely):",
    ),
    "adminform.account.disable": ("Désactiver le compte", "Disable the account"),
    "adminform.account.enable": ("Réactiver le compte", "Enable the account"),
    "adminform.account.disabled_done": ("Compte « {username} » désactivé.", "Account '{username}' disabled."),
    "adminform.account.enabled_done": ("Compte « {username} » réactivé.", "Account '{username}' enabled."),
    "adminform.account.no_org": ("(aucun)", "(none)"),
    # -- audit ------------------------------------------------------------------------------
    "adminform.col.at": ("Date et heure", "Date and time"),
    "adminform.col.actor": ("Par", "By"),
    "adminform.col.action": ("Action", "Action"),
    "adminform.col.entity": ("Objet", "Object"),
    "adminform.col.detail": ("Détail", "Detail"),
    "adminform.time_note": ("Heures de Toronto (heure de l'Est).", "Toronto time (Eastern time)."),
    # -- online form ------------------------------------------------------------------------
    "adminform.form.submitted_done": (
        "Modifiez le contenu pour soumettre de nouveau.",
        "Change the content to submit again.",
    ),
    "adminform.form.started_from": (
        "Le formulaire part de votre version {version} du cycle {cycle} ({status}).",
        "The form starts from your version {version} of cycle {cycle} ({status}).",
    ),
    # -- downloads --------------------------------------------------------------------------
    "adminform.download.filters": ("Filtres : {filters}", "Filters: {filters}"),
    "adminform.download.all_regions": ("toute la région", "the whole region"),
    # -- audit log labels (codes stay in the log; the screen shows these) ------------------
    "adminform.action.claim_demo": ("Base marquée comme démonstration", "Store marked as demonstration"),
    "adminform.action.create_user": ("Compte créé", "Account created"),
    "adminform.action.lock_account": ("Compte bloqué (échecs de connexion)", "Account locked (failed sign-ins)"),
    "adminform.action.unlock_account": ("Compte débloqué", "Account unlocked"),
    "adminform.action.register_organisation": ("Membre inscrit", "Member registered"),
    "adminform.action.rename_organisation": ("Organisme renommé", "Organisation renamed"),
    "adminform.action.reset_password": ("Mot de passe réinitialisé", "Password reset"),
    "adminform.action.disable_user": ("Compte désactivé", "Account disabled"),
    "adminform.action.enable_user": ("Compte réactivé", "Account enabled"),
    "adminform.action.sign_in": ("Connexion", "Sign-in"),
    "adminform.action.sign_in_failed": ("Connexion refusée", "Sign-in refused"),
    "adminform.action.sign_in_locked": ("Connexion bloquée", "Sign-in while locked"),
    "adminform.action.sign_in_disabled": ("Connexion d'un compte désactivé", "Sign-in of a disabled account"),
    "adminform.action.supersede": ("Version remplacée", "Version superseded"),
    "adminform.action.unvalidate": (
        "Validation retirée (version remplacée)",
        "Validation withdrawn (version superseded)",
    ),
    "adminform.action.open_cycle": ("Cycle ouvert", "Cycle opened"),
    "adminform.action.submit": ("Version soumise", "Version submitted"),
    "adminform.action.validate": ("Version validée", "Version validated"),
    "adminform.entity.store": ("Base", "Store"),
    "adminform.entity.user": ("Compte", "Account"),
    "adminform.entity.organisation": ("Organisme", "Organisation"),
    "adminform.entity.submission": ("Version", "Version"),
    "adminform.entity.cycle": ("Cycle", "Cycle"),
}
