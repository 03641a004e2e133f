export { NamespaceController, NS_CONTROLLER } from './namespace';
