import hashlib
import json
import re
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from ihms.errors import DataError, InputError
from ihms.policy.autocode import LearnedCoder, load_coder, train_coder

WHEN = datetime(2024, 3, 1, 8, 30, tzinfo=UTC)


def _train(segments, labels, **kw):
    params = {
        "codebook_version": "2",
        "dimension": "sentence type",
        "codebook": "test",
        "trained_at": WHEN,
    }
    params.update(kw)
    return train_coder(segments, labels, **params)


def test_model_id_depends_on_training_and_codebook_version_only(segments, labels):
    a = _train(segments, labels)
    b = _train(segments, labels, trained_at=datetime(2025, 1, 1, tzinfo=UTC))
    assert a.model_id == b.model_id and len(a.model_id) == 12
    assert _train(segments, labels, codebook_version="3").model_id != a.model_id
    fewer = [None if i % 7 == 0 else v for i, v in enumerate(labels)]
    assert _train(segments, fewer).model_id != a.model_id
    assert _train(segments, labels, coder=LearnedCoder(C=2.0)).model_id != a.model_id
    assert a.coder_name == f"machine:{a.model_id}"
    assert a.training_size == 96 and a.n_documents == 8
    assert a.trained_at == "2024-03-01T08:30:00+00:00"


def test_codes_carry_provenance(segments, labels):
    trained = _train(segments, labels)
    coding = trained.code(segments)
    codes = coding.codes
    assert len(codes) == len(segments)
    assert set(codes["coder"]) == {trained.coder_name}
    assert set(codes["model_id"]) == {trained.model_id}
    assert set(codes["training_size"]) == {96}
    assert set(codes["trained_at"]) == {"2024-03-01T08:30:00+00:00"}
    assert set(codes["codebook_version"]) == {"2"}
    assert codes["segment"].tolist() == segments["id"].tolist()
    np.testing.assert_array_equal(codes["category"], trained.estimator.predict(segments))
    proba = trained.estimator.predict_proba(segments)
    np.testing.assert_allclose(codes["probability"], proba.max(axis=1))
    assert coding.summary().to_frame()["codes"].sum() == len(segments)


def test_low_probability_segments_are_left_for_a_person(segments, labels):
    trained = _train(segments, labels)
    full = trained.code(segments)
    cut = float(np.median(full.codes["probability"]))
    part = trained.code(segments, min_probability=cut)
    assert (part.codes["probability"] >= cut).all()
    assert len(part.codes) + len(part.abstained) == len(segments)
    assert set(part.abstained) == set(full.codes.loc[full.codes["probability"] < cut, "row"])


def test_save_and_load_round_trip(tmp_path, segments, labels):
    trained = _train(segments, labels)
    folder = trained.save(tmp_path / "model")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["model_id"] == trained.model_id
    assert manifest["codebook_version"] == "2"
    assert manifest["training_size"] == 96
    assert manifest["coder"] == trained.coder_name
    again = load_coder(folder, codebook_version="2")
    assert again.model_id == trained.model_id
    pd.testing.assert_frame_equal(again.code(segments).codes, trained.code(segments).codes)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]  # no temporary left


def test_a_model_of_another_codebook_version_is_refused(tmp_path, segments, labels):
    folder = _train(segments, labels).save(tmp_path / "model")
    with pytest.raises(InputError, match=r"version '2', the codebook in use is version '3'"):
        load_coder(folder, codebook_version="3")
    assert load_coder(folder, codebook_version=None).codebook_version == "2"


def test_tampered_or_incomplete_model_folders_are_refused(tmp_path, segments, labels):
    folder = _train(segments, labels).save(tmp_path / "model")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["codebook_version"] = "3"  # relabelled by hand: the id no longer matches
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(InputError, match="do not belong together"):
        load_coder(folder, codebook_version="3")
    (folder / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable JSON manifest"):
        load_coder(folder, codebook_version="2")
    (folder / "model.joblib").unlink()
    with pytest.raises(InputError, match=r"model\.joblib is missing"):
        load_coder(folder, codebook_version="2")
    with pytest.raises(InputError, match=r"model folder '.*typo' does not exist"):
        load_coder(tmp_path / "typo", codebook_version="2")
    with pytest.raises(InputError, match="is a file, not a model folder"):
        load_coder(folder / "manifest.json", codebook_version="2")


def test_saving_over_an_existing_model_needs_consent(tmp_path, segments, labels):
    trained = _train(segments, labels)
    trained.save(tmp_path / "model")
    with pytest.raises(InputError, match=r"exists \(pass overwrite=True to replace it\)"):
        trained.save(tmp_path / "model")
    other = _train(segments, labels, codebook_version="5")
    other.save(tmp_path / "model", overwrite=True)
    assert load_coder(tmp_path / "model", codebook_version="5").model_id == other.model_id
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_empty_texts_code_nothing(segments, labels):
    trained = _train(segments, labels)
    bad = segments.copy()
    bad.loc[[3, 9], "text"] = ""
    with pytest.raises(DataError) as err:
        trained.code(bad)
    assert len(err.value.problems) == 2


def test_bad_training_requests(segments, labels):
    with pytest.raises(InputError, match="codebook_version"):
        _train(segments, labels, codebook_version=" ")
    with pytest.raises(InputError, match="dimension"):
        _train(segments, labels, dimension="")


def test_show_prints_settings_on_one_line(segments, labels):
    # scikit-learn wraps a long repr (here the features' user dictionary) over indented
    # lines; a provenance table for a methods section reads them as one line
    from ihms.policy.autocode import SegmentFeatures

    terms = tuple(f"医联体术语{i}" for i in range(40))
    coder = LearnedCoder(features=SegmentFeatures(user_dictionary=terms), calibration=None)
    settings = _train(segments, labels, coder=coder).summary().to_frame().loc["settings", "value"]
    assert "\n" not in settings and "  " not in settings
    # the dictionary as its size and digest (user review M, LOW 10), not a cut repr
    assert '"user_dictionary": {"words": 40, "sha256": ' in settings


@pytest.mark.parametrize(
    ("field", "value"),
    [("training_size", 5000), ("n_documents", 80), ("trained_at", "2020-01-01T00:00:00+00:00")],
)
def test_a_manifest_whose_provenance_was_edited_is_refused(
    tmp_path, segments, labels, field, value
):
    # user review M, LOW 9: training size, documents and date are kept in model.joblib too
    folder = _train(segments, labels).save(tmp_path / "model")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    was = manifest[field]
    manifest[field] = value
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    said = f"field '{field}' is {value!r} but the model file says {was!r}"
    with pytest.raises(InputError, match=re.escape(said)):
        load_coder(folder, codebook_version="2")


def test_manifest_params_are_plain_values(segments, labels):
    # user review M, LOW 10: numbers as numbers, a jieba dictionary as its size and digest
    # (its repr was cut with '...'), so the settings can be read back
    from ihms.policy.autocode import SegmentFeatures

    words = ("医联体", "分级诊疗", "家庭医生签约")
    coder = LearnedCoder(C=0.5, features=SegmentFeatures(words=True, user_dictionary=words))
    params = _train(segments, labels, coder=coder).manifest()["params"]
    assert params["C"] == 0.5 and params["min_per_category"] == 5
    assert params["calibration"] == "sigmoid" and params["categories"] is None
    features = params["features"]
    assert features["words"] is True
    digest = hashlib.sha256("\n".join(words).encode()).hexdigest()[:12]
    assert features["user_dictionary"] == {"words": 3, "sha256": digest}
    assert json.loads(json.dumps(params)) == params
