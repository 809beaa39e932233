from . import neiqin_step_pause_wizard
