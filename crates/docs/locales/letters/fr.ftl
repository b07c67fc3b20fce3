# Les traductions des courriers de l'Agence de l'accueil, compilées dans le binaire (nansen-docs,
# `print::Translations`). Français : une version en langage simple, remise avec le courrier officiel.
# Chaque fichier de ce dossier a les mêmes clés (un test le vérifie). Un paragraphe par message :
# `<courrier>-1`, `-2`… dans l'ordre, sans trou ; le dernier rappelle que seul le texte français fait foi.
# Les dates et les noms sont donnés par l'appelant tels qu'ils figurent dans le courrier français.

translation-note = Ce texte vous est remis pour vous aider à comprendre ; seul le courrier en français qui précède fait foi.

# Refus des conditions matérielles d'accueil (arguments : signed_on).
offer-refusal-1 = Le { $signed_on }, vous avez refusé l'offre de conditions matérielles d'accueil que l'Agence vous a faite, c'est-à-dire un hébergement et l'allocation pour demandeur d'asile (ADA), et vous avez signé ce refus.
offer-refusal-2 = C'est pourquoi l'Agence ne vous proposera pas d'hébergement et ne vous versera pas l'allocation journalière. C'est ce que prévoit la loi (article L.551-15 du code de l'entrée et du séjour des étrangers et du droit d'asile, CESEDA).
offer-refusal-3 = Ce refus ne change rien à votre demande d'asile : elle continue d'être examinée.
offer-refusal-4 = Si votre situation change, vous pouvez retourner à la direction territoriale de l'Agence et demander de nouveau les conditions matérielles d'accueil. L'Agence examinera votre demande et vous fera connaître sa décision.
offer-refusal-5 = Vous pouvez contester le refus des conditions matérielles d'accueil devant le tribunal administratif.
offer-refusal-6 = { translation-note }

# Proposition d'orientation (arguments : structure, place, persons, contest_by, reach_by). Les motifs
# (orientation-reason-*) sont insérés par l'appelant après le paragraphe 1, qui les annonce.
orientation-proposal-1 = Votre région accueille plus de demandeurs d'asile que sa part dans le schéma national d'accueil. L'Agence propose donc à votre ménage ({ $persons } personnes) une place dans la structure { $structure }, { $place }, dans une autre région, où vous devrez vivre pendant l'examen de votre demande d'asile (article L.551-3). Pourquoi cette place :
orientation-proposal-2 = Si vous n'êtes pas d'accord, vous pouvez contester cette proposition par écrit jusqu'au { $contest_by }, à la direction territoriale de l'Agence ou dans votre espace sécurisé. Expliquez pourquoi cette place ne convient pas à votre situation.
orientation-proposal-3 = Vous devez rejoindre la place au plus tard le { $reach_by } (dans les 5 jours, article R.551-3). La direction territoriale de l'Agence vous indiquera comment vous y rendre.
orientation-proposal-4 = Si vous refusez cette place ou si vous ne vous y rendez pas, l'Agence peut mettre fin à vos conditions matérielles d'accueil (hébergement et allocation). Avant toute décision, elle vous écrira et vous pourrez envoyer vos observations.
orientation-proposal-5 = { translation-note }

# Les motifs d'une proposition d'orientation, dans la langue du ménage. Là où les fichiers de
# crates/web/locales reprennent ces clés, les mots sont les mêmes (un test le vérifie).
orientation-reason-region-above-share = Votre région d'enregistrement ({ $region }) enregistre { $demand } % des personnes qui ont besoin d'une place, au-delà de sa part de { $share } % fixée par le schéma national.
orientation-reason-together = La place accueille tout votre ménage ensemble ({ $persons } personnes).
orientation-reason-vulnerable = Votre vulnérabilité vous donne la priorité.
orientation-reason-hospital-nearby = Un hôpital qui assure le suivi dont vous avez besoin est proche.
orientation-reason-school = Vos enfants pourront y être scolarisés.
orientation-reason-accessible = La place est accessible à une personne à mobilité réduite.
orientation-reason-distance = La place est à { $km } km du lieu où l'office d'asile mène les entretiens.
orientation-reason-region-below-share = La région { $region } n'a pas encore accueilli sa part des personnes orientées.

# Les motifs d'une fin des conditions matérielles d'accueil (argument `ground` des messages qui suivent).
conditions-ground-refused-orientation = refus de l'orientation proposée
conditions-ground-did-not-reach = non-présentation dans le lieu d'hébergement dans les 5 jours

# Information préalable (arguments : ground, observations_by).
conditions-ending-notice-1 = L'Agence envisage de mettre fin à vos conditions matérielles d'accueil (hébergement et allocation pour demandeur d'asile) pour le motif suivant : { $ground } (article L.551-16).
conditions-ending-notice-2 = Avant toute décision, vous pouvez envoyer vos observations écrites jusqu'au { $observations_by } (15 jours, article D.551-17), à la direction territoriale de l'Agence ou dans votre espace sécurisé. Expliquez votre situation : votre santé, votre famille, tout ce qui vous rend vulnérable, et pourquoi vous avez refusé la place ou n'avez pas pu vous y rendre. Joignez tout document utile.
conditions-ending-notice-3 = Une personne de votre choix peut vous aider (un avocat, une association, une personne de confiance).
conditions-ending-notice-4 = Ce courrier n'est pas encore une décision. L'Agence décidera après avoir lu vos observations et vous fera connaître sa décision par écrit.
conditions-ending-notice-5 = { translation-note }

# Décision : il est mis fin aux conditions (arguments : ground, signed_on, court_by).
conditions-ending-decision-ended-1 = Par une décision du { $signed_on }, l'Agence a mis fin à vos conditions matérielles d'accueil : l'hébergement et l'allocation pour demandeur d'asile (ADA). Motif : { $ground }.
conditions-ending-decision-ended-2 = Les motifs de la décision, écrits plus haut, expliquent comment votre situation et votre vulnérabilité ont été prises en compte. Un interprète de la direction territoriale de l'Agence peut vous les expliquer dans votre langue.
conditions-ending-decision-ended-3 = Vous pouvez contester cette décision devant le tribunal administratif jusqu'au { $court_by } (7 jours, article L.555-1). Vous pouvez demander l'aide juridictionnelle et un avocat.
conditions-ending-decision-ended-4 = { translation-note }

# Décision : les conditions sont maintenues (arguments : ground, signed_on).
conditions-ending-decision-maintained-1 = Par une décision du { $signed_on }, l'Agence a maintenu vos conditions matérielles d'accueil (hébergement et allocation pour demandeur d'asile). Elle avait envisagé d'y mettre fin pour le motif suivant : { $ground }.
conditions-ending-decision-maintained-2 = Les motifs de la décision sont écrits plus haut. Un interprète de la direction territoriale de l'Agence peut vous les expliquer dans votre langue.
conditions-ending-decision-maintained-3 = { translation-note }

# La décision sur la contestation d'une proposition (args : contested_on, structure, place ; reach_by si rejetée)
contest-decision-upheld-1 = Le { $contested_on }, vous avez contesté l'hébergement qui vous était proposé à { $structure }, { $place }. L'Agence admet votre contestation : la proposition est retirée.
contest-decision-upheld-2 = Vous restez parmi les ménages en attente d'un hébergement ; une nouvelle proposition pourra vous être faite. Les motifs de la décision figurent ci-dessus.
contest-decision-upheld-3 = { translation-note }
contest-decision-rejected-1 = Le { $contested_on }, vous avez contesté l'hébergement qui vous était proposé à { $structure }, { $place }. L'Agence rejette votre contestation : la place est maintenue.
contest-decision-rejected-2 = Vous devez rejoindre ce lieu au plus tard le { $reach_by }. Si vous le refusez ou ne vous y rendez pas à temps, l'Agence peut engager la procédure qui peut mettre fin à votre hébergement et à votre allocation ; vous pourriez alors présenter des observations écrites.
contest-decision-rejected-3 = Les motifs de la décision figurent ci-dessus. Un interprète de la direction territoriale de l'Agence peut vous les expliquer dans votre langue.
contest-decision-rejected-4 = { translation-note }

# Les courriers de l'Office (issue 18) : la demande de pièces (reply_by), la convocation (date,
# place), le sens de la décision (signed_on) ; les pièces elles-mêmes suivent le paragraphe 1, en
# français.
missing-items-1 = Pour examiner votre demande d'asile, l'Office a besoin des pièces suivantes, qui ne figurent pas à votre dossier :
missing-items-2 = Transmettez-les au plus tard le { $reply_by }, par votre espace usager ou par courrier à l'adresse ci-dessus, en rappelant votre numéro de dossier.
missing-items-3 = Si vous ne pouvez pas fournir l'une de ces pièces, expliquez-en par écrit la raison avant cette date. L'absence d'une pièce n'entraîne pas à elle seule le rejet de votre demande.
missing-items-4 = { translation-note }
convocation-1 = Vous êtes convoqué(e) à un entretien personnel avec un officier de protection de l'Office sur votre demande d'asile, le { $date }. Lieu ou lien : { $place }.
convocation-2 = Présentez-vous 30 minutes à l'avance (15 minutes pour un entretien à distance) avec cette convocation, votre attestation de demande d'asile, vos documents d'identité ou de voyage s'il y en a (originaux) et tout document utile à votre demande.
convocation-3 = Si la convocation mentionne un interprète, l'Office le met à votre disposition ; il est tenu par une charte de déontologie. Vous pouvez être accompagné(e) d'un avocat ou d'un représentant d'une association habilitée. L'entretien est enregistré.
convocation-4 = Si vous ne vous présentez pas sans motif légitime, l'Office pourra clore l'examen de votre demande. En cas d'empêchement, prévenez l'Office sans délai en joignant un justificatif.
convocation-5 = { translation-note }
decision-refugee-1 = Par une décision signée le { $signed_on }, l'Office vous a reconnu la qualité de réfugié.
decision-subsidiary-1 = Par une décision signée le { $signed_on }, l'Office vous a accordé le bénéfice de la protection subsidiaire.
decision-stateless-1 = Par une décision signée le { $signed_on }, l'Office vous a reconnu la qualité d'apatride.
decision-rejection-1 = Par une décision signée le { $signed_on }, l'Office a rejeté votre demande d'asile.
decision-inadmissible-1 = Par une décision signée le { $signed_on }, l'Office a déclaré votre demande irrecevable.
decision-closure-1 = Par une décision signée le { $signed_on }, l'Office a clôturé l'examen de votre demande.
decision-granted-1 = La préfecture vous délivrera votre titre de séjour. L'Office établira vos documents d'état civil ; vous pouvez le suivre dans votre espace usager.
decision-granted-2 = Les motifs de la décision figurent ci-dessus.
decision-granted-3 = { translation-note }
decision-appeal-1 = Les motifs de la décision figurent ci-dessus. La décision est réputée notifiée le jour où vous l'ouvrez pour la première fois dans votre espace usager, ou quinze jours après sa mise à disposition.
decision-appeal-2 = Vous pouvez former un recours devant la Cour nationale du droit d'asile (CNDA) dans un délai d'un mois à compter de la notification. Le recours, rédigé en français, doit être motivé et accompagné d'une copie de la décision ; il est adressé à la CNDA, 35 rue Cuvier, 93558 Montreuil-sous-Bois Cedex.
decision-appeal-3 = Vous pouvez demander l'aide juridictionnelle pour être assisté(e) d'un avocat devant la Cour, dans un délai de quinze jours à compter de la notification ; cette demande suspend le délai de recours.
decision-appeal-4 = { translation-note }
closure-reopen-1 = Vous pouvez demander à l'Office de rouvrir l'examen de votre demande, une seule fois, dans un délai de neuf mois à compter de cette décision ; l'examen reprend alors au stade où il s'était arrêté. Passé ce délai, la clôture est définitive et une nouvelle demande est examinée comme une demande de réexamen.
closure-reopen-2 = { translation-note }

# The notice that a document is waiting in the secure space (e-mail and SMS; argument: url). It never
# says what the document is or says: that stays behind sign-in.
notice-email-subject = Un document vous attend dans votre espace sécurisé
notice-email-body = Bonjour, un nouveau document a été déposé dans votre espace sécurisé (Espace usager). Pour le lire, connectez-vous à { $url } avec votre numéro de dossier et votre mot de passe. Ce message ne contient pas le document. Ne répondez pas à ce message.
notice-sms = Un nouveau document vous attend dans votre espace sécurisé : { $url }
