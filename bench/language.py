"""Language benchmark: translators and speech on tests/data/instructions.yaml.

Per backend: exact goal accuracy on in-domain instructions (goals compared as
guardrail-checked literal sets), correct refusals, correct clarifications,
latency p50/p95. For speech: word error rate and goal accuracy of
pocketsphinx on espeak-ng audio of the instructions (several voices; clean
and with white noise), and clean audio of held-out instructions
(tests/data/instructions_heldout.yaml: other scenes and phrasings, a check that
the speech grammar is not fitted to the dev set). Prints a table, writes bench/results/language.json and
bench/results/language.png.

    .venv/bin/python bench/language.py                       # rules + llama subset + speech subset
    .venv/bin/python bench/language.py --backends rules --speech 0
    .venv/bin/python bench/language.py --backends rules --speech 60 --jobs 2 --merge   # speech only
    .venv/bin/python bench/language.py --backends "" --speech-conditions "noise 20 dB" --jobs 2 --merge
    .venv/bin/python bench/language.py --openai-url http://127.0.0.1:8000/v1
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import statistics
import sys
import time
from pathlib import Path

from tqdm import tqdm

from lam_robot.errors import LamError
from lam_robot.language import get_translator
from lam_robot.language.dataset import load_cases, score
from lam_robot.symbolic.domain import load_domain

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
AUDIO_CACHE = Path("/tmp/lam_robot_bench_audio")
VOICES = [("en-us", 130), ("en", 140), ("en-us+m3", 130), ("en-gb", 140)]
#: Speech conditions in report order.
SPEECH_CONDITIONS = ("clean", "noise 20 dB", "held-out clean")


def percentile(values, q):
    if not values:
        return None
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, int(round(q / 100 * (len(ordered) - 1)))))
    return ordered[k]


def subset(cases, n):
    """Every k-th case (deterministic, spread over scenes and outcomes)."""
    if n is None or n >= len(cases):
        return list(cases)
    step = len(cases) / n
    return [cases[int(i * step)] for i in range(n)]


def run_backend(label, translator, cases, scenes, domain):
    rows = []
    for case in tqdm(cases, desc=label, leave=False):
        result = translator.translate(case.text, scenes[case.scene_name], domain)
        rows.append({"index": case.index, "expect": case.expect, "status": result.status,
                     "right": score(case, result, scenes[case.scene_name], domain),
                     "latency_s": result.latency_s, "goal": result.goal_pddl, "raw": result.raw,
                     "attempts": result.attempts})
    return summarize(label, rows)


def summarize(label, rows):
    def rate(kind):
        sel = [r for r in rows if r["expect"] == kind]
        return (sum(r["right"] for r in sel) / len(sel)) if sel else None, len(sel)

    goal_acc, n_ok = rate("ok")
    ref_acc, n_ref = rate("refused")
    cla_acc, n_cla = rate("clarify")
    lat = [r["latency_s"] for r in rows]
    unsafe = sum(1 for r in rows if r["expect"] != "ok" and r["status"] == "ok")
    return {"backend": label, "n": len(rows), "goal_accuracy": goal_acc, "n_in_domain": n_ok,
            "correct_refusals": ref_acc, "n_refusals": n_ref, "correct_clarifications": cla_acc,
            "n_clarifications": n_cla, "goals_where_none_expected": unsafe,
            "latency_p50_s": percentile(lat, 50), "latency_p95_s": percentile(lat, 95), "rows": rows}


_WORKER = {}


def _speech_worker_init(scenes, domain):
    from lam_robot.language import speech

    _WORKER.update(scenes=scenes, domain=domain, engine=speech.PocketSphinxEngine(),
                   translator=get_translator("rules"))


def _speech_row(job):
    """One utterance: synthesise (cached), recognise, translate, score."""
    from lam_robot.language import speech

    i, case, snr_db = job
    scene, domain = _WORKER["scenes"][case.scene_name], _WORKER["domain"]
    voice, wpm = VOICES[i % len(VOICES)]
    key = hashlib.sha1(f"{case.text}|{voice}|{wpm}|{snr_db}".encode()).hexdigest()[:16]
    wav = AUDIO_CACHE / f"{key}.wav"
    if not wav.exists():
        speech.synthesize(case.text, wav, voice, wpm, snr_db, seed=i)
    heard = speech.transcribe(wav, scene, domain, engine=_WORKER["engine"])
    result = _WORKER["translator"].translate(heard.text, scene, domain)
    return {"index": case.index, "text": case.text, "heard": heard.text, "voice": voice, "wpm": wpm,
            "wer": speech.word_error_rate(case.text, heard.text), "confidence": heard.confidence,
            "used_grammar": heard.used_grammar, "source": heard.source, "asr_latency_s": heard.latency_s,
            "expect": case.expect, "status": result.status, "right": score(case, result, scene, domain)}


def run_speech(cases, scenes, domain, snr_db, label, jobs=1):
    """Speech-to-goal on espeak-ng audio of ``cases`` (voices in turn); ``jobs`` worker processes."""
    AUDIO_CACHE.mkdir(parents=True, exist_ok=True)
    work = [(i, case, snr_db) for i, case in enumerate(cases)]
    if jobs > 1:
        from multiprocessing import get_context

        with get_context("fork").Pool(jobs, _speech_worker_init, (scenes, domain)) as pool:
            rows = list(tqdm(pool.imap(_speech_row, work), total=len(work), desc=label, leave=False))
    else:
        _speech_worker_init(scenes, domain)
        rows = [_speech_row(job) for job in tqdm(work, desc=label, leave=False)]
    ok_rows = [r for r in rows if r["expect"] == "ok"]
    by_voice = {}
    for voice, _ in VOICES:
        sel = [r for r in ok_rows if r["voice"] == voice]
        if sel:
            by_voice[voice] = {"n": len(sel), "goal_accuracy": sum(r["right"] for r in sel) / len(sel),
                               "wer": statistics.mean(r["wer"] for r in sel)}
    return {"condition": label, "snr_db": snr_db, "n": len(rows), "by_voice": by_voice, "jobs": jobs,
            "wer": statistics.mean(r["wer"] for r in rows) if rows else None,
            "goal_accuracy": (sum(r["right"] for r in ok_rows) / len(ok_rows)) if ok_rows else None,
            "grammar_share": (sum(r["used_grammar"] for r in rows) / len(rows)) if rows else None,
            "asr_latency_p50_s": percentile([r["asr_latency_s"] for r in rows], 50), "rows": rows}


def fmt(x, pct=True):
    if x is None:
        return "-"
    return f"{100 * x:5.1f}%" if pct else f"{x:6.3f}"


def plot(results, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    names = [r["backend"] for r in results["translators"]]
    metrics = [("goal_accuracy", "goal accuracy"), ("correct_refusals", "refusals"),
               ("correct_clarifications", "clarifications")]
    width = 0.8 / len(metrics)
    for k, (key, label) in enumerate(metrics):
        vals = [100 * (r[key] or 0) for r in results["translators"]]
        ax1.bar([i + k * width for i in range(len(names))], vals, width, label=label)
    ax1.set_xticks([i + width for i in range(len(names))], names, rotation=15)
    ax1.set_ylabel("% correct")
    ax1.set_ylim(0, 105)
    ax1.legend(fontsize=8)
    ax1.set_title("translators")
    sp = results.get("speech", [])
    if sp:
        labels = [s["condition"] for s in sp]
        ax2.bar([i - 0.2 for i in range(len(sp))], [100 * (s["goal_accuracy"] or 0) for s in sp], 0.4,
                label="speech-to-goal accuracy")
        ax2.bar([i + 0.2 for i in range(len(sp))], [100 * (s["wer"] or 0) for s in sp], 0.4, label="WER")
        ax2.set_xticks(range(len(sp)), labels)
        ax2.set_ylim(0, 105)
        ax2.legend(fontsize=8)
        ax2.set_title("speech (pocketsphinx on espeak-ng audio)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="rules,llama,llama-naive,cascade")
    parser.add_argument("--llama-limit", type=int, default=60, help="instructions per model backend")
    parser.add_argument("--speech", type=int, default=60, help="instructions per speech condition (0: none)")
    parser.add_argument("--speech-heldout", type=int, default=60,
                        help="also: clean speech on this many held-out instructions (generalisation; 0: none)")
    parser.add_argument("--speech-conditions", default=",".join(SPEECH_CONDITIONS),
                        help="comma-separated speech conditions to run (with --merge the others are kept)")
    parser.add_argument("--jobs", type=int, default=1, help="speech worker processes (latency is per utterance)")
    parser.add_argument("--openai-url", default=None, help="also run the openai backend against this endpoint")
    parser.add_argument("--out", default=str(RESULTS / "language.json"))
    parser.add_argument("--merge", action="store_true", help="keep sections of an existing --out not run now")
    args = parser.parse_args(argv)

    domain = load_domain()
    cases, scenes = load_cases(domain=domain)
    results = {"host": platform.node(), "python": platform.python_version(),
               "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "n_instructions": len(cases),
               "translators": [], "speech": []}
    llm = None
    for name in args.backends.split(","):
        name = name.strip()
        if not name:
            continue
        if name == "rules":
            results["translators"].append(run_backend("rules", get_translator("rules"), cases, scenes, domain))
            continue
        try:
            from lam_robot.language.llm import load_llama

            llm = llm or load_llama()
        except LamError as exc:
            print(f"skipping {name}: {exc}")
            continue
        chosen = subset(cases, args.llama_limit)
        if name == "llama":
            tr = get_translator("llama", cascade=False, llm=llm)
            label = "llama (few-shot, constrained)"
        elif name == "llama-naive":
            tr = get_translator("llama", cascade=False, llm=llm, prompt="naive", max_repairs=0)
            label = "llama (naive prompt, constrained)"
        elif name == "cascade":
            tr = get_translator("llama", llm=llm)
            label = "rules -> llama cascade"
        else:
            print(f"unknown backend {name}")
            continue
        results["translators"].append(run_backend(label, tr, chosen, scenes, domain))
    if args.openai_url:
        tr = get_translator("openai", cascade=False, base_url=args.openai_url, max_repairs=1)
        results["translators"].append(run_backend("openai (llama.cpp server)", tr,
                                                  subset(cases, min(args.llama_limit, 20)), scenes, domain))
    if args.speech:
        spoken = subset([c for c in cases if c.text.strip() and c.expect == "ok"], args.speech)
        conditions = [(spoken, scenes, None, "clean"), (spoken, scenes, 20.0, "noise 20 dB")]
        if args.speech_heldout:
            held, held_scenes = load_cases(ROOT / "tests" / "data" / "instructions_heldout.yaml", domain=domain)
            held = subset([c for c in held if c.text.strip() and c.expect == "ok"], args.speech_heldout)
            conditions += [(held, held_scenes, None, "held-out clean")]
        wanted = {c.strip() for c in args.speech_conditions.split(",")}
        for chosen, chosen_scenes, snr, label in conditions:
            if label not in wanted:
                continue
            try:
                results["speech"].append(run_speech(chosen, chosen_scenes, domain, snr, label, args.jobs))
            except LamError as exc:
                print(f"skipping speech: {exc}")
                break

    out = Path(args.out)
    if args.merge and out.exists():
        old = json.loads(out.read_text())
        ran = {r["backend"] for r in results["translators"]}
        results["translators"] += [r for r in old.get("translators", []) if r["backend"] not in ran]
        ran_speech = {s["condition"] for s in results["speech"]}
        kept = {s["condition"]: s for s in old.get("speech", []) if s["condition"] not in ran_speech}
        new = {s["condition"]: s for s in results["speech"]}
        results["speech"] = [new.get(c) or kept[c] for c in SPEECH_CONDITIONS if c in new or c in kept]
    print(f"\nLanguage benchmark ({len(cases)} instructions; model backends on a subset)")
    print(f"{'backend':36s} {'n':>4s} {'goal acc':>9s} {'refusals':>9s} {'clarify':>9s} "
          f"{'p50 s':>7s} {'p95 s':>7s} {'unsafe':>6s}")
    for r in results["translators"]:
        print(f"{r['backend']:36s} {r['n']:4d} {fmt(r['goal_accuracy']):>9s} {fmt(r['correct_refusals']):>9s} "
              f"{fmt(r['correct_clarifications']):>9s} {fmt(r['latency_p50_s'], False):>7s} "
              f"{fmt(r['latency_p95_s'], False):>7s} {r['goals_where_none_expected']:6d}")
    if results["speech"]:
        print(f"\n{'speech condition':20s} {'n':>4s} {'WER':>7s} {'goal acc':>9s} {'grammar':>8s} {'asr p50 s':>9s}")
        for s in results["speech"]:
            print(f"{s['condition']:20s} {s['n']:4d} {fmt(s['wer']):>7s} {fmt(s['goal_accuracy']):>9s} "
                  f"{fmt(s['grammar_share']):>8s} {fmt(s['asr_latency_p50_s'], False):>9s}")
            for voice, v in s.get("by_voice", {}).items():
                print(f"  {voice:18s} {v['n']:4d} {fmt(v['wer']):>7s} {fmt(v['goal_accuracy']):>9s}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    png = plot(results, out.with_suffix(".png"))
    print(f"\nwrote {out}" + (f" and {png}" if png else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
