// Placeholder until the BGPsec_PATH codec lands (replaced in the same session).
#include "wire/bgpsec_path.hpp"
