import subprocess
import sys


def test_the_engine_never_imports_django_drf_or_celery():
    code = (
        "import sys, matching.engine, matching.__main__; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'rest_framework', 'celery'}); "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
