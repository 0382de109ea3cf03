"""Substantively wrong answers, one table per exercise: (answer cell's grade_id, code that replaces
it). Each must lose points in the test cells of its answer (tests/test_exercises.py). And the test
cells whose answer does not depend on the data (DATA_FREE), which the solution's values typed in
as constants may pass on a fresh variant of the data, with the reason."""

WRONG_ANSWERS = {
    "01-reading-data": [
        ("load_answer", 'df = pd.read_csv("foodbank.csv")\ndf = df[df["households"] > 0]'),   # drops the closed weeks
        ("kg_answer", 'kg_per_site = df.groupby("site")["kg_distributed"].mean()\ntop_site = kg_per_site.idxmax()'),
        ("kg_answer", 'kg_per_site = df.groupby("site")["kg_distributed"].sum()\n'   # per household, not in total
                      'top_site = (kg_per_site / df.groupby("site")["households"].sum()).idxmax()'),
        ("children_answer", 'children_percent = round(df["children"].sum() / df["adults"].sum() * 100, 1)'),
        ("per_person_answer", 'totals = df.groupby("site")[["households", "kg_distributed"]].sum()\n'
                              'kg_per_person = (totals["kg_distributed"] / totals["households"]).round(2)'),
        ("per_person_answer", 'kg_per_person = (df["kg_distributed"] / (df["adults"] + df["children"]))'
                              '.fillna(0).groupby(df["site"]).mean().round(2)'),
        ("closed_answer", 'closed = df[df["households"] == 0]\nmean_open = round(df["households"].mean(), 1)'),
        ("closed_answer", 'closed = df[df["week"].isin([1, 16, 52])]\n'
                          'mean_open = round(df[df["households"] > 0]["households"].mean(), 1)'),
    ],
    "02-data-quality": [
        ("duplicates_answer", "n_duplicates = int(raw.duplicated(keep=False).sum())\nshifts = raw.drop_duplicates()"),
        ("duplicates_answer", 'n_duplicates = int(raw.duplicated().sum())\nshifts = raw.drop_duplicates(subset=["volunteer", "date"])'),
        ("confirmed_answer", 'shifts["confirmed_clean"] = shifts["confirmed"] == "ja"'),
        ("confirmed_answer", 'shifts["confirmed_clean"] = shifts["confirmed"].str.strip().str.lower()'
                             '.isin(["ja", "x", "yes", "nein", "-"])'),   # every option counts as yes
        ("dates_answer", 'shifts["date_clean"] = pd.to_datetime(shifts["date"], format="%d.%m.%Y", errors="coerce")\n'
                         'n_invalid_dates = int(shifts["date_clean"].isna().sum())'),
        ("dates_answer", 'german = pd.to_datetime(shifts["date"], format="%d.%m.%Y", errors="coerce")\n'
                         'shifts["date_clean"] = german.fillna(pd.to_datetime(shifts["date"], format="%Y-%m-%d", errors="coerce"))\n'
                         'n_invalid_dates = int(shifts["date_clean"].isna().sum())'),   # keeps the year 2052
        ("hours_answer", 'shifts["hours_clean"] = pd.to_numeric(shifts["hours"], errors="coerce")\n'
                         'total_hours = round(float(shifts["hours_clean"].sum()), 1)'),
        ("near_answer", 'shifts["volunteer_clean"] = shifts["volunteer"].str.strip()\n'
                        'shifts_final = shifts.drop_duplicates(subset=["volunteer_clean", "date_clean", "activity"])\n'
                        'confirmed_hours = round(float(shifts_final.loc[shifts_final["confirmed_clean"], "hours_clean"].sum()), 1)'),
        ("near_answer", 'shifts["volunteer_clean"] = shifts["volunteer"].str.strip().str.replace("  ", " ")\n'
                        'shifts_final = shifts.drop_duplicates(subset=["volunteer_clean", "date_clean", "activity"])\n'
                        'confirmed_hours = round(float(shifts_final["hours_clean"].sum()) - 1, 1)'),
    ],
    "03-impact-and-needs": [
        ("rate_answer", 'rate_2025 = requests[requests["year"] == 2025].groupby("district").size().astype(float)\n'
                        'top_district = rate_2025.idxmax()'),   # counts, not per 1,000 inhabitants
        ("rate_answer", 'population_2025 = districts[districts["year"] == 2025].set_index("district")["population"]\n'
                        'rate_2025 = requests.groupby("district").size() / population_2025 * 1000\n'
                        'top_district = rate_2025.idxmax()'),   # both years counted
        ("wait_answer", 'median_wait = requests["waiting_days"].mean()\n'
                        'slowest_district = requests.groupby("district")["waiting_days"].mean().idxmax()'),
        ("wait_answer", 'median_wait = requests["waiting_days"].median()\n'   # both years, not 2025
                        'slowest_district = requests.groupby("district")["waiting_days"].median().idxmax()'),
        ("classification_answer", 'classification = {k: "outcome" for k in "ABCDEF"}'),
        ("classification_answer", 'classification = {"A": "outcome", "B": "output", "C": "output", "D": "outcome", '
                                  '"E": "output", "F": "outcome"}'),
        ("change_answer", 'totals = requests.groupby("year").size()\n'
                          'change_percent = round((totals[2025] - totals[2024]) / totals[2025] * 100, 1)'),
        ("solved_answer", 'solved_share = round((requests["outcome_3m"] == "gelöst").mean() * 100, 1)'),
    ],
    "04-data-protection": [
        ("pseudo_answer", 'df_pseudo = df.copy()\n'
                          'df_pseudo["pseudonym"] = df_pseudo["name"].apply(lambda n: hashlib.sha256(n.encode("utf-8")).hexdigest())\n'
                          'df_pseudo = df_pseudo.drop(columns=["name", "street"])'),   # no secret: anyone can recompute it
        ("pseudo_answer", 'df_pseudo = df.copy()\n'
                          'df_pseudo["pseudonym"] = df_pseudo["name"].apply(lambda n: hmac.new(KEY, n.encode("utf-8"), hashlib.sha256).hexdigest())\n'
                          'df_pseudo = df_pseudo.drop(columns=["name"])'),   # the street stays
        ("pseudo_answer", 'df_pseudo = df.copy()\n'   # a salt in front, as before HMAC: not the keyed hash asked for
                          'df_pseudo["pseudonym"] = df_pseudo["name"].apply(lambda n: hashlib.sha256((KEY.decode() + n).encode("utf-8")).hexdigest())\n'
                          'df_pseudo = df_pseudo.drop(columns=["name", "street"])'),
        ("k_raw_answer", 'sizes = df_pseudo.groupby(QI_RAW).size()\nk_raw = int(sizes.max())\nn_unique = int((sizes == 1).sum())'),
        ("k_raw_answer", 'sizes = df_pseudo.groupby(["postcode", "gender"]).size()\nk_raw = int(sizes.min())\n'
                         'n_unique = int((sizes == 1).sum())'),
        ("generalise_answer", 'QI_GEN = ["age_band", "postcode_area", "gender"]\n'
                              'df_gen = df_pseudo.drop(columns=["birth_date", "age", "postcode"])\n'
                              'df_gen["age_band"] = (df_pseudo["age"] // 10 * 10).astype(str)\n'
                              'df_gen["postcode_area"] = df_pseudo["postcode"].str[:2]\n'
                              'k_gen = int(df_gen.groupby(QI_GEN).size().min())'),   # small groups not removed
        ("generalise_answer", 'QI_GEN = ["age_band", "postcode_area", "gender"]\n'   # the postcode is not coarsened
                              'df_gen = df_pseudo.drop(columns=["birth_date", "age"]).rename(columns={"postcode": "postcode_area"})\n'
                              'df_gen["age_band"] = (df_pseudo["age"] // 20 * 20).astype(str)\n'
                              'df_gen = df_gen[df_gen.groupby(QI_GEN)["pseudonym"].transform("size") >= 5]\n'
                              'k_gen = int(df_gen.groupby(QI_GEN).size().min())'),
        ("l_answer", 'l_gen = int(df_gen.groupby(QI_GEN)["counselling_topic"].nunique().max())'),
        ("special_answer", 'special_columns = list(df.columns)'),   # "all of the options"
        ("special_answer", 'special_columns = ["health_note", "religion", "counselling_topic"]'),
    ],
    "05-first-model": [
        ("split_answer", "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25)\nn_test = len(X_test)"),
        ("split_answer", "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=42)\n"
                         "n_test = len(X_train)"),
        ("baseline_answer", 'baseline = DummyClassifier(strategy="most_frequent")\nbaseline.fit(X_train, y_train)\n'
                            "baseline_accuracy = round(baseline.score(X_train, y_train), 3)"),   # measured on training rows
        ("model_answer", "model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))\n"
                         "model.fit(X, y)\nmodel_accuracy = round(model.score(X_test, y_test), 3)"),   # the test rows were seen
        ("model_answer", "model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))\n"
                         "model.fit(X_train, y_train)\nmodel_accuracy = round(model.score(X_train, y_train), 3)"),
        ("strongest_answer", "coefs = pd.Series(model[-1].coef_[0], index=sorted(FEATURES))\n"   # names on the wrong weights
                             "strongest = coefs.abs().idxmax()"),
        ("strongest_answer", 'coefs = pd.Series(LogisticRegression(max_iter=1000).fit(X_train, y_train).coef_[0], index=FEATURES)\n'
                             "strongest = coefs.abs().idxmax()"),   # unscaled: not comparable
        ("sign_answer", 'sms_lowers_risk = bool(coefs["sms_reminder"] > 0)\nweakest = coefs.abs().idxmin()'),
        ("sign_answer", 'sms_lowers_risk = bool(coefs["sms_reminder"] < 0)\nweakest = coefs.idxmin()'),
    ],
    "06-error-costs": [
        ("proba_answer", "proba = model.predict_proba(X_test)[:, 0]"),   # the probability of coming
        ("proba_answer", "proba = model.predict(X_test).astype(float)"),
        ("cm_answer", "pred_05 = (proba >= 0.5).astype(int)\ncm = confusion_matrix(y_test, pred_05)\n"
                      "tn, fp, fn, tp = cm.ravel()\nfn_05 = int(fp)\nfp_05 = int(fn)"),
        ("metrics_answer", "recall_05 = round(precision_score(y_test, pred_05), 3)\n"
                           "precision_05 = round(recall_score(y_test, pred_05), 3)"),
        ("threshold_answer", "def cost(p, truth, t):\n"   # chosen on the test data
                             "    called, missed = p >= t, np.asarray(truth) == 1\n"
                             "    return float(called.sum() * COST_CALL + ((missed & ~called).sum() + (1 - CALL_EFFECT) * (missed & called).sum()) * COST_MISS)\n"
                             "total_costs = [cost(proba, y_test, t) for t in THRESHOLDS]\n"
                             "best_threshold = float(THRESHOLDS[np.argmin(total_costs)])"),
        ("threshold_answer", "def cost(p, truth, t):\n"   # only the errors: the calls that work cost nothing
                             "    called, missed = p >= t, np.asarray(truth) == 1\n"
                             "    return float((called & ~missed).sum() * COST_CALL + (missed & ~called).sum() * COST_MISS)\n"
                             "total_costs = [cost(val_proba, y_val, t) for t in THRESHOLDS]\n"
                             "best_threshold = float(THRESHOLDS[np.argmin(total_costs)])"),
        ("threshold_answer", "def cost(p, truth, t):\n"   # every call assumed to work
                             "    called, missed = p >= t, np.asarray(truth) == 1\n"
                             "    return float(called.sum() * COST_CALL + (missed & ~called).sum() * COST_MISS)\n"
                             "total_costs = [cost(val_proba, y_val, t) for t in THRESHOLDS]\n"
                             "best_threshold = float(THRESHOLDS[np.argmin(total_costs)])"),
        ("rules_answer", "cost_model = int(round(cost(proba, y_test, best_threshold)))\n"
                         "cost_call_all = int(len(y_test) * COST_CALL)\n"   # as if every call prevented every miss
                         "cost_call_none = int(round(cost(proba, y_test, 2)))\n"
                         "minutes_saved = min(cost_call_all, cost_call_none) - cost_model"),
        ("rules_answer", "cost_model = int(round(min(total_costs)))\n"   # the validation cost reported as the result
                         "cost_call_all = int(round(cost(proba, y_test, 0)))\n"
                         "cost_call_none = int(round(cost(proba, y_test, 2)))\n"
                         "minutes_saved = min(cost_call_all, cost_call_none) - cost_model"),
    ],
    "07-bias-and-fairness": [
        ("by_group_answer", 'mf = MetricFrame(metrics={"selection_rate": selection_rate, "false_negative_rate": false_negative_rate,\n'
                            '                          "accuracy": accuracy_score},\n'
                            '                 y_true=test["urgent"], y_pred=y_pred, sensitive_features=groups)\n'
                            "by_group = mf.by_group"),   # measured against the recorded label, not the true need
        ("by_group_answer", 'mf = MetricFrame(metrics={"selection_rate": selection_rate, "false_negative_rate": false_negative_rate,\n'
                            '                          "accuracy": accuracy_score},\n'
                            '                 y_true=y_train, y_pred=model.predict(X_train), sensitive_features=groups_train)\n'
                            "by_group = mf.by_group"),   # on the training cases
        ("dp_gap_answer", 'dp_gap = round(float(by_group["selection_rate"].max()), 3)'),
        ("miss_answer", 'miss = by_group["false_negative_rate"]\nhigher_miss_group = miss.idxmin()\n'
                        "miss_ratio = round(float(miss.max() / miss.min()), 1)"),
        ("miss_answer", 'miss = by_group["accuracy"]\nhigher_miss_group = by_group["false_negative_rate"].idxmax()\n'
                        "miss_ratio = round(float(miss.max() / miss.min()), 1)"),
        ("mitigation_answer", 'mitigator = ThresholdOptimizer(estimator=model, prefit=True, predict_method="predict_proba",\n'
                              '                               constraints="equalized_odds", objective="balanced_accuracy_score")\n'
                              "mitigator.fit(X_train, y_train, sensitive_features=groups_train)\n"
                              "y_pred_fair = mitigator.predict(X_test, sensitive_features=groups, random_state=0)\n"
                              "dp_gap_after = round(float(demographic_parity_difference(y_true, y_pred_fair, sensitive_features=groups)), 3)"),
        ("mitigation_answer", "y_pred_fair = np.ones(len(X_test), dtype=int)\n"   # everyone selected: no gap, no triage
                              "dp_gap_after = round(float(demographic_parity_difference(y_true, y_pred_fair, sensitive_features=groups)), 3)"),
        ("bias_answer", 'recorded_health = test.groupby("language_group")["health_issues_recorded"].mean()\n'
                        'bias_type = "measurement"'),
        ("bias_answer", 'recorded_health = df.groupby("language_group")["health_issues_recorded"].mean()\n'
                        'bias_type = "historical"'),
    ],
    "08-text-and-accessibility": [
        ("wps_answer", 'b13 = letters[letters["letter_id"] == "B13"].iloc[0]\n'
                       'wps_original = round(len(split_words(b13["original"])) / len(split_sentences(b13["plain"])), 1)\n'
                       'wps_plain = round(len(split_words(b13["plain"])) / len(split_sentences(b13["original"])), 1)'),
        ("rewrite_answer", 'my_rewrite = ["Bitte schicken Sie uns bis spätestens Ende April die fehlenden Kontoauszüge der '
                           'letzten drei Monate.", "Sonst können wir Ihren Antrag nicht bearbeiten."]'),   # a long sentence
        ("rewrite_answer", 'my_rewrite = ["Wir brauchen Unterlagen.", "Bitte schicken Sie sie bald."]'),   # the content is gone
        ("readability_answer", "rewrite_text = \" \".join(my_rewrite)\n"
                               "fre_original = round(textstat.flesch_reading_ease(rewrite_text), 1)\n"
                               "fre_rewrite = round(textstat.flesch_reading_ease(ORIGINAL_SENTENCE), 1)\n"
                               "wstf_original = round(textstat.wiener_sachtextformel(ORIGINAL_SENTENCE, 1), 1)\n"
                               "wstf_rewrite = round(textstat.wiener_sachtextformel(rewrite_text, 1), 1)\n"
                               "rewrite_is_easier = True"),
        ("long_answer", 'b04_text = letters[letters["letter_id"] == "B04"].iloc[0]["original"]\n'
                        "long_b04 = sorted({w for w in split_words(b04_text) if len(w) > 13})"),
        ("long_answer", 'b04_text = letters[letters["letter_id"] == "B04"].iloc[0]["original"]\n'
                        "long_b04 = [w for w in split_words(b04_text) if len(w) >= 13]"),   # duplicates, text order
        ("routing_answer", 'X_train, X_test, y_train, y_test = train_test_split(requests["text"], requests["topic"], '
                           "test_size=0.25, random_state=42)\n"
                           'baseline = DummyClassifier(strategy="most_frequent").fit(X_train, y_train)\n'
                           "baseline_accuracy = round(baseline.score(X_test, y_test), 3)\n"
                           "router = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))\n"
                           'router.fit(requests["text"], requests["topic"])\n'   # the test requests were seen
                           "routing_accuracy = round(router.score(X_test, y_test), 3)"),
        ("routing_answer", 'X_train, X_test, y_train, y_test = train_test_split(requests["text"], requests["topic"], '
                           "test_size=0.25, random_state=1)\n"
                           'baseline = DummyClassifier(strategy="most_frequent").fit(X_train, y_train)\n'
                           "baseline_accuracy = round(baseline.score(X_test, y_test), 3)\n"
                           "router = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))\n"
                           "router.fit(X_train, y_train)\nrouting_accuracy = round(router.score(X_test, y_test), 3)"),
        ("errors_answer", "test_rows = requests.loc[X_test.index].assign(suggested=router.predict(X_test))\n"
                          'misrouted = test_rows[test_rows["suggested"] == test_rows["topic"]]\n'
                          'n_misrouted = len(misrouted)\nshare_ambiguous = round(misrouted["ambiguous"].mean(), 2)'),
        ("errors_answer", 'test_rows = requests.assign(suggested=router.predict(requests["text"]))\n'
                          'misrouted = test_rows[test_rows["suggested"] != test_rows["topic"]]\n'
                          'n_misrouted = len(misrouted)\nshare_ambiguous = round(misrouted["ambiguous"].mean(), 2)'),
    ],
    "09-transparency-and-participation": [
        ("metrics_answer", 'metrics = {"accuracy": round(model.score(X_train, y_train), 3),\n'
                           '           "baseline_accuracy": round(baseline.score(X_train, y_train), 3),\n'
                           '           "recall": round(recall_score(y_test, y_pred), 3)}'),   # measured on training rows
        ("metrics_answer", 'metrics = {"accuracy": round(float((y_pred == y_test).mean()), 3),\n'
                           '           "baseline_accuracy": round(baseline.score(X_test, y_test), 3),\n'
                           '           "recall": round(float(y_pred.mean()), 3)}'),   # the flag rate, not the recall
        ("metrics_answer", 'metrics = {"accuracy": round(model.score(X_test, y_test), 3),\n'   # threshold 0.5, not module 6's
                           '           "baseline_accuracy": round(baseline.score(X_test, y_test), 3),\n'
                           '           "recall": round(recall_score(y_test, model.predict(X_test)), 3)}'),
        ("flag_rates_answer", "flag_rates = y_test.groupby(test_language).mean().round(3)"),   # who missed, not who is flagged
        ("flag_rates_answer", "flag_rates = pd.Series(model.predict(X_test), index=X_test.index)"   # threshold 0.5
                              ".groupby(test_language).mean().round(3)"),
        ("card_answer", "model_card = {s: tr(f'Abschnitt {i}: Text ohne Zahlen, aber lang genug.', "
                        "f'Section {i}: text without numbers, but long enough.') for i, s in enumerate(REQUIRED_SECTIONS)}"),
        ("card_answer", "model_card = {s: tr(f'Abschnitt {i}: Genauigkeit {metrics[\"accuracy\"]:.3f}, Baseline '\n"
                        "                    f'{metrics[\"baseline_accuracy\"]:.3f}, Trefferquote {metrics[\"recall\"]:.3f}.', "
                        "f'Section {i}: accuracy {metrics[\"accuracy\"]:.3f}, baseline {metrics[\"baseline_accuracy\"]:.3f}, '\n"
                        "                    f'recall {metrics[\"recall\"]:.3f}.') for i, s in enumerate(REQUIRED_SECTIONS)}"),
        ("card_answer", """_p = model.predict(X_test)   # the numbers of the threshold 0.5, not of module 6's threshold
_rates = pd.Series(_p, index=X_test.index).groupby(test_language).mean()
_sizes = test_language.value_counts()
_text = (f'Schwelle 0,5: Genauigkeit {model.score(X_test, y_test):.3f}, Vergleichswert {metrics["baseline_accuracy"]:.3f}, '
         f'Trefferquote {recall_score(y_test, _p):.3f}. ' + ', '.join(f'{c}: {r:.3f} (n = {_sizes[c]})' for c, r in _rates.items()))
model_card = {s: _text for s in REQUIRED_SECTIONS}"""),
        ("hazards_answer", "hazards = {label: tr(f'{label}: trifft zu, weil das Projekt Daten nutzt und Menschen betrifft.', "
                           "f'{label}: applies because the project uses data and affects people.') for label in HAZARD_LABELS}"),
        ("hazards_answer", "hazards = {label: tr(f'{label}: trifft zu, weil das Projekt Daten nutzt und Menschen betrifft.', "
                           "f'{label}: applies because the project uses data and affects people.') "
                           "for label in HAZARD_LABELS if label != 'High Environmental Cost'}"),
        ("hazards_answer", "hazards = {label: tr(f'{label}: trifft zu, weil das Projekt Daten nutzt und Menschen betrifft.', "
                           "f'{label}: applies because the project uses data and affects people.') "
                           "for label in ['Danger Of Misuse', 'Risk to Privacy', 'Lacks Informed Consent']}"),
    ],
    "10-project-to-practice": [
        ("share_answer", 'phase_totals = budgets.groupby("phase")["amount_eur"].sum().reindex(PHASES)\n'   # every project
                         'maintenance_share = float(round(phase_totals["operation_maintenance"] / phase_totals.sum() * 100, 1))'),
        ("share_answer", 'p2 = budgets[budgets["project_id"] == "P2"]\n'
                         'phase_totals = p2.groupby("phase")["amount_eur"].sum().reindex(PHASES)\n'
                         'maintenance_share = float(round(phase_totals["operation_maintenance"] / phase_totals["development"] * 100, 1))'),
        ("adjust_answer", 'shift_eur = int(round(0.20 * phase_totals["development"]))\n'
                          "adjusted = phase_totals.copy()\n"
                          'adjusted["development"] = adjusted["development"] - shift_eur\n'
                          'adjusted["operation_maintenance"] = adjusted["operation_maintenance"] + shift_eur'),
        ("adjust_answer", 'shift_eur = int(round(0.20 * phase_totals.sum() - phase_totals["operation_maintenance"]))\n'
                          "adjusted = phase_totals.copy()\n"
                          'adjusted["operation_maintenance"] = adjusted["operation_maintenance"] + shift_eur'),   # total grows
        ("licences_answer", "licence_types = {name: 'permissive' for name in ['MIT', 'GPL-3.0', 'Apache-2.0', 'CC-BY-SA-4.0', "
                            "'BSD-3-Clause', 'AGPL-3.0', 'CC-BY-4.0', 'MPL-2.0']}"),
        ("licences_answer", "licence_types = {'MIT': 'permissive', 'GPL-3.0': 'copyleft', 'Apache-2.0': 'permissive', "
                            "'CC-BY-SA-4.0': 'copyleft', 'BSD-3-Clause': 'permissive', 'AGPL-3.0': 'copyleft', "
                            "'CC-BY-4.0': 'permissive', 'MPL-2.0': 'permissive'}"),
        ("statements_answer", "goal_types = {f'S{i}': 'efficiency' for i in range(1, 10)}"),
        ("statements_answer", "goal_types = {'S1': 'effectiveness', 'S2': 'efficiency', 'S3': 'equity', 'S4': 'efficiency', "
                              "'S5': 'equity', 'S6': 'effectiveness', 'S7': 'efficiency', 'S8': 'effectiveness', 'S9': 'equity'}"),
    ],
}

DATA_FREE = {
    # the closed weeks are part of the story: the same in every variant
    # the closed weeks and the biggest site are part of the story: the same in every variant
    "01-reading-data": {"closed_tests", "top_site_tests"},
    # the generator copies the same number of rows exactly in every variant (its recipe of errors)
    "02-data-quality": {"duplicates_count_tests"},
    # which statement is an output and which an outcome does not depend on data; the district with the
    # highest rate and the slowest one are the story, and the median of whole waiting days stays the same
    "03-impact-and-needs": {"classification_partial_tests", "classification_full_tests", "top_district_tests",
                            "median_wait_tests", "slowest_district_tests"},
    # k = 1 in the raw data is the story (age, postcode and gender single people out); which columns
    # are special categories depends on their meaning, not on the numbers
    "04-data-protection": {"k_raw_tests", "special_tests"},
    # that an SMS lowers the risk and which feature weighs least is the story
    "05-first-model": {"sign_tests"},
    "06-error-costs": set(),
    # that the health data is a measurement bias is the story
    "07-bias-and-fairness": {"bias_type_tests"},
    # letters B13 and B04 and the sentence to rewrite are fixed texts in every variant
    "08-text-and-accessibility": {"wps_tests", "rewrite_length_tests", "rewrite_keywords_tests", "readability_tests",
                                  "long_tests"},
    # which hazards the scenario shows does not depend on the numbers
    "09-transparency-and-participation": {"hazards_most_tests", "hazards_all_tests"},
    # licence families and goal types are knowledge, not numbers
    "10-project-to-practice": {"licences_mostly_tests", "licences_all_tests", "statements_mostly_tests", "statements_all_tests"},
    # the redaction is a function: the hidden tests call it on names and texts they make themselves,
    # so there is no value to type in, and the answer is the same code on every variant
    "11-generative-ai": {"redact_names_tests", "redact_contacts_tests", "redact_diagnoses_tests"},
    # the legal classification follows what a system does (its description and checklist), which the
    # variants draw from the same kinds of systems: knowledge, not numbers
    "12-law-and-responsibility": {"tier_course_tests", "tier_register_tests", "statements_tests", "articles_tests",
                                  "dpia_course_tests", "dpia_register_tests", "art22_tests"},
}
