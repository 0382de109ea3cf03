"""The static scan that lists suspicious answer code for the trainer (no kernel needed)."""
from autograder.judging import integrity


def test_attacks_are_listed():
    found = integrity.scan(
        "import numpy as np\nnp.testing.assert_allclose = lambda *a, **k: None\nimport ctypes\n"
        "import os\nos._exit(0)\nget_ipython().set_custom_exc((Exception,), print)\n"
        "class Always:\n    def __eq__(self, other):\n        return True\nexec('x = 1')\n%time x", set())
    for expected in ("assigns to np.testing.assert_allclose", "imports ctypes", "uses ._exit", "uses .set_custom_exc",
                     "uses get_ipython", "defines __eq__", "calls exec()", "shell command or magic"):
        assert expected in found, found


def test_hooks_reached_without_naming_get_ipython_are_listed():
    found = integrity.scan("ip = getattr(exit, '_ip')\nip.compile.ast_parse = print\nshell = vars()['exit']._ip\n"
                           "Always = type('Always', (), {'__eq__': lambda self, other: True})\n"
                           "ip.display_formatter.formatters['text/plain'].for_type(float, print)", set())
    for expected in ("calls getattr()", "uses ._ip", "uses .ast_parse", "calls vars()",
                     "makes a class with type()", "uses .for_type"):
        assert expected in found, found


def test_honest_answers_are_not_listed():
    assert integrity.scan("import os\nimport pandas as pd\ndf = pd.read_csv(os.path.join('.', 'data.csv'))\n"
                          "df.columns = ['a', 'b']\nsum = 0\nresult = df.groupby('a')['b'].mean()", {"pd"}) == []


def test_imports_of_the_source_notebook():
    modules, aliases = integrity.imports(["import pandas as pd\nfrom sklearn.linear_model import LogisticRegression",
                                          "%matplotlib inline\nimport numpy"])
    assert modules == ["pandas", "sklearn.linear_model", "numpy"]
    assert aliases == {"pd": "pandas", "LogisticRegression": "sklearn.linear_model:LogisticRegression",
                       "numpy": "numpy"}
