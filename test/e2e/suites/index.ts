// Every real-editor suite; loaded after mocha's globals exist.
import './diagnostics.test';
import './quickFixes.test';
import './hoverCompletion.test';
import './restrictedMode.test';
import './hostileConfigs.test';
import './packagedExtension.test';
import './timelineRestricted.test';
