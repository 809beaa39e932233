from . import neiqin_step_pause_wizard
from . import neiqin_gate_override_wizard
